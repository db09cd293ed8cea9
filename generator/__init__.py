"""finops-kb: validate, cross-link and publish a FinOps knowledge base."""

__version__ = "0.1.0"
