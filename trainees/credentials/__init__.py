"""Signing keys, did:web, Open Badges 3.0 documents, status lists and the PDF certificate.

Built on openbadgeslib (OB 3.0 issue/verify with eddsa-rdfc-2022 Data Integrity proofs,
VC-JWT and Bitstring Status Lists, JSON-LD contexts bundled, never fetched) and pyld.
"""
