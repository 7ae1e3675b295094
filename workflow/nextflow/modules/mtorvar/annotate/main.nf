process MTORVAR_ANNOTATE {
    tag "$meta.id"
    label 'process_single'

    conda "${moduleDir}/environment.yml"
    // Build the image from workflow/docker/Dockerfile (no public image is published yet):
    //   docker build -f workflow/docker/Dockerfile -t mtorvar:0.1.0 .
    container "mtorvar:0.1.0"

    input:
    tuple val(meta), path(vcf), path(index)   // index: [] when the VCF has none
    path samplesheet                         // [] when there is no sample sheet

    output:
    tuple val(meta), path("*.mtorvar.json"), emit: json
    tuple val(meta), path("*.mtorvar.html"), emit: html
    tuple val(meta), path("*.mtorvar.tsv") , emit: tsv
    path "versions.yml"                     , emit: versions

    when:
    task.ext.when == null || task.ext.when

    script:
    def args   = task.ext.args ?: ''
    def prefix = task.ext.prefix ?: "${meta.id}"
    def sheet  = samplesheet ? "--samples ${samplesheet}" : ''
    """
    mtorvar annotate \\
        ${vcf} \\
        --output ${prefix}.mtorvar.json \\
        --output-format json \\
        --quiet \\
        ${sheet} \\
        ${args}

    mtorvar annotate ${vcf} --output ${prefix}.mtorvar.html --output-format html --quiet ${sheet} ${args}
    mtorvar annotate ${vcf} --output ${prefix}.mtorvar.tsv --output-format tsv --quiet ${sheet} ${args}

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        mtorvar: \$(mtorvar --version | sed 's/^mtorvar //')
    END_VERSIONS
    """

    stub:
    def prefix = task.ext.prefix ?: "${meta.id}"
    """
    touch ${prefix}.mtorvar.json ${prefix}.mtorvar.html ${prefix}.mtorvar.tsv

    cat <<-END_VERSIONS > versions.yml
    "${task.process}":
        mtorvar: \$(mtorvar --version | sed 's/^mtorvar //')
    END_VERSIONS
    """
}
