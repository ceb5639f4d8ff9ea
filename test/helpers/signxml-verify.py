"""Verifies one XAdES signature (chosen by its Id) with signxml's XAdESVerifier; prints OK or the error.

signxml verifies the first ds:Signature it finds; a transcript carries several side by side, so the signature to
check is picked by Id (subclass hook _get_signature), and references are resolved in the whole document.
usage: python signxml-verify.py file.xml root.pem signature-id
"""
import sys
from lxml import etree
from signxml import SignatureConfiguration
from signxml.xades import XAdESVerifier, XAdESSignatureConfiguration

DS = "http://www.w3.org/2000/09/xmldsig#"


class OneSignature(XAdESVerifier):
    def __init__(self, signature_id):
        super().__init__()
        self.signature_id = signature_id

    def _get_signature(self, root):
        found = root.xpath("//ds:Signature[@Id=$id]", namespaces={"ds": DS}, id=self.signature_id)
        if len(found) != 1:
            raise ValueError(f"signature {self.signature_id} not found")
        return found[0]


def main():
    path, root_pem, signature_id = sys.argv[1:4]
    data = open(path, "rb").read()
    tree = etree.fromstring(data)
    sig = tree.xpath("//ds:Signature[@Id=$id]", namespaces={"ds": DS}, id=signature_id)[0]
    refs = len(sig.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference"))
    try:
        OneSignature(signature_id).verify(
            data,
            ca_pem_file=root_pem,
            expect_config=XAdESSignatureConfiguration(expect_references=refs),
        )
        print("OK")
    except Exception as e:  # noqa: BLE001 - report any failure as text
        print(f"FAIL {type(e).__name__}: {e}")


if __name__ == "__main__":
    main()
