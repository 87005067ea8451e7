"""vendor_eval: an RFP scoring workspace for medical-imaging outsourcing vendors."""

__version__ = "0.1.0"
