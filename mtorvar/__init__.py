"""mtorvar: mTOR-pathway variant annotation and region-aware drug-response prediction."""

__version__ = "0.1.0"
