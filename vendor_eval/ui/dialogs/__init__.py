"""Dialogs for the steps of an RFP that are edited in a form: criteria, settings, costs, finalising."""
