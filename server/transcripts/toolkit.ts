/**
 * The signing toolkit (server/signing, its contract in server/signing/types.ts) as the chain uses it: one import
 * point, so the chain does not depend on how the toolkit splits its files.
 */
export { checkCertificate, describeCertificate, type CertificateOwner } from '../signing/certificates';
export { signToBeSigned, verifyToBeSigned } from '../signing/key-holder';
export { createDemoPki, createPkcs12, openPkcs12 } from '../signing/pki';
export { parseUntrustedXml } from '../signing/safe-xml';
export { verifyXmlSignatures } from '../signing/verify-xml';
export { assembleXmlSignatures, prepareXmlSignatures } from '../signing/xades';
export { assemblePdfSignature, preparePdfSignature } from '../signing/pades';
export { verifyPdfSignatures } from '../signing/verify-pdf';
