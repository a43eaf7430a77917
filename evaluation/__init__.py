"""Quality on labelled sets: matching (`innomatch eval`) and the buyer-group clustering.

A product feature, not a test tool: an operator measures the ranking on their own labelled needs.
"""
