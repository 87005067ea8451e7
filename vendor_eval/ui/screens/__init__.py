"""One module per screen of the open evaluation."""
