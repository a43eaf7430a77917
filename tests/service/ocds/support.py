"""What the OCDS tests share: the publication they build releases for."""

from service.ocds.publication import Publication

PUBLICATION = Publication(ocid_prefix="ocds-test00", publisher="Test", base_url="http://innomatch.test")
