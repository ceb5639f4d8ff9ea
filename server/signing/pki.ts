/**
 * The demo PKI and the software keystore. The demo root is a TEST authority (named so in its CN and O): it lets a
 * demo school sign end to end, and a verifier that trusts only the real Vietnamese root (Root CA của Bộ TT&TT)
 * must refuse everything it issued. Keys come from Node's native generator; certificates are built with pkijs and
 * signed with node:crypto (both RSA and ECDSA, synchronously).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { AppError } from '../core/errors';
import { derToPem, parseCertificate, splitPems, toArrayBuffer } from './der';
import './forge-native';
import type { KeyAlgorithm } from './types';

export interface KeyAndCert {
  certPem: string;
  keyPem: string;
}

export interface DemoPki {
  root: KeyAndCert;
  seal: KeyAndCert;
  people: Record<string, KeyAndCert>;
}

export interface DemoPkiInput {
  schoolName: string;
  schoolCode: string;
  people: { key: string; fullName: string; nationalId: string }[];
  now: Date;
  algorithm?: KeyAlgorithm;
}

export const DEMO_ROOT_CN = 'HOC BA SO DEMO TEST ROOT CA - KHONG DUNG THAT';
export const DEMO_ROOT_O = 'HOC BA SO DEMO - TEST ONLY';

const OID = {
  CN: '2.5.4.3',
  serialNumber: '2.5.4.5',
  C: '2.5.4.6',
  O: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  ski: '2.5.29.14',
  aki: '2.5.29.35',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
};

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

export function createDemoPki(input: DemoPkiInput): DemoPki {
  const algorithm = input.algorithm ?? 'RSA-2048';
  const now = input.now;
  const rootKeys = demoKeys(algorithm);
  const rootName: DnPart[] = [
    ['C', 'VN'],
    ['O', DEMO_ROOT_O],
    ['CN', DEMO_ROOT_CN],
  ];
  const root = issue({
    subject: rootName,
    publicKey: rootKeys.publicKey,
    issuer: null,
    issuerKey: rootKeys.privateKey,
    notBefore: new Date(now.getTime() - 24 * 3600 * 1000),
    notAfter: new Date(now.getTime() + 10 * YEAR_MS),
    ca: true,
  });
  const rootCert = { certPem: root, keyPem: pemOf(rootKeys.privateKey) };
  const endEntity = (subject: DnPart[]): KeyAndCert => {
    const keys = demoKeys(algorithm);
    const certPem = issue({
      subject,
      publicKey: keys.publicKey,
      issuer: root,
      issuerKey: rootKeys.privateKey,
      notBefore: new Date(now.getTime() - 3600 * 1000),
      notAfter: new Date(now.getTime() + 3 * YEAR_MS),
      ca: false,
    });
    return { certPem, keyPem: pemOf(keys.privateKey) };
  };
  const school = input.schoolName.normalize('NFC');
  const seal = endEntity([
    ['C', 'VN'],
    ['O', school],
    ['CN', school],
    ['serialNumber', `MST:${input.schoolCode}`],
  ]);
  const people: Record<string, KeyAndCert> = {};
  for (const p of input.people) {
    const dn: DnPart[] = [
      ['C', 'VN'],
      ['O', school],
      ['CN', p.fullName.normalize('NFC')],
    ];
    if (p.nationalId) dn.push(['serialNumber', `CCCD:${p.nationalId}`]);
    people[p.key] = endEntity(dn);
  }
  return { root: rootCert, seal, people };
}

type DnPart = ['C' | 'O' | 'CN' | 'serialNumber', string];

export interface IssueInput {
  subject: DnPart[];
  publicKey: crypto.KeyObject;
  /** The issuer's certificate PEM, or null for a self-signed root. */
  issuer: string | null;
  issuerKey: crypto.KeyObject;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  /** Override the key usage (tests build certificates that must be refused). */
  keyUsage?: { digitalSignature: boolean; nonRepudiation: boolean; keyCertSign: boolean };
}

/** Issues one certificate (also used by tests to make expired or wrongly-purposed certificates). */
export function issue(input: IssueInput): string {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  const serial = crypto.randomBytes(16);
  serial[0] &= 0x7f;
  serial[0] |= 0x10;
  cert.serialNumber = new asn1js.Integer({ valueHex: toArrayBuffer(serial) });
  setName(cert.subject, input.subject);
  const issuerCert = input.issuer ? parseCertificate(input.issuer) : null;
  if (issuerCert) cert.issuer = issuerCert.subject;
  else setName(cert.issuer, input.subject);
  cert.notBefore.value = input.notBefore;
  cert.notAfter.value = input.notAfter;
  const spki = input.publicKey.export({ type: 'spki', format: 'der' });
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(toArrayBuffer(spki));
  const ski = crypto.createHash('sha1').update(Buffer.from(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView)).digest();
  const issuerSki = issuerCert ? subjectKeyId(issuerCert) ?? ski : ski;
  const usage = input.keyUsage ?? (input.ca ? { digitalSignature: false, nonRepudiation: false, keyCertSign: true } : { digitalSignature: true, nonRepudiation: true, keyCertSign: false });
  cert.extensions = [
    extension(OID.basicConstraints, true, new pkijs.BasicConstraints({ cA: input.ca }).toSchema()),
    extension(OID.keyUsage, true, keyUsageBits(usage, input.ca)),
    extension(OID.ski, false, new asn1js.OctetString({ valueHex: toArrayBuffer(ski) })),
    extension(OID.aki, false, new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: toArrayBuffer(issuerSki) }) }).toSchema()),
  ];
  const algId = signatureAlgorithm(input.issuerKey);
  cert.signature = algId;
  cert.signatureAlgorithm = algId;
  const tbs = Buffer.from(cert.encodeTBS().toBER(false));
  const sig = crypto.sign('sha256', tbs, input.issuerKey);
  cert.signatureValue = new asn1js.BitString({ valueHex: toArrayBuffer(sig) });
  return derToPem(new Uint8Array(cert.toSchema(true).toBER(false)));
}

/** One RDN per attribute (C, O, CN, serialNumber), as CAs issue them; pkijs alone would make one multi-valued RDN. */
function setName(target: pkijs.RelativeDistinguishedNames, parts: DnPart[]): void {
  const rdns = parts.map(([type, value]) => {
    const asn = type === 'C' || type === 'serialNumber' ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value });
    return new asn1js.Set({ value: [new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID[type] }), asn] })] });
  });
  const der = new asn1js.Sequence({ value: rdns }).toBER(false);
  const parsed = pkijs.RelativeDistinguishedNames.fromBER(der);
  target.typesAndValues = parsed.typesAndValues;
  target.valueBeforeDecode = parsed.valueBeforeDecode;
}

function extension(extnID: string, critical: boolean, value: asn1js.AsnType): pkijs.Extension {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

/** KeyUsage as a DER named bit string (trailing zero bits dropped): bit 0 digitalSignature, 1 nonRepudiation, 5 keyCertSign, 6 cRLSign. */
function keyUsageBits(u: { digitalSignature: boolean; nonRepudiation: boolean; keyCertSign: boolean }, ca: boolean): asn1js.BitString {
  const bits = [u.digitalSignature, u.nonRepudiation, false, false, false, u.keyCertSign, ca];
  let last = bits.lastIndexOf(true);
  if (last < 0) last = 0;
  let byte = 0;
  bits.forEach((b, i) => (byte |= b ? 0x80 >> i : 0));
  return new asn1js.BitString({ valueHex: new Uint8Array([byte]).buffer, unusedBits: 7 - last });
}

function subjectKeyId(cert: pkijs.Certificate): Buffer | null {
  const ext = cert.extensions?.find((e) => e.extnID === OID.ski);
  if (!ext) return null;
  return Buffer.from((ext.parsedValue as asn1js.OctetString).valueBlock.valueHexView);
}

function signatureAlgorithm(key: crypto.KeyObject): pkijs.AlgorithmIdentifier {
  return key.asymmetricKeyType === 'ec'
    ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSHA256 })
    : new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() });
}

/** RSA keys this process has taken from DEMO_KEY_POOL so far: each is handed out once per process. */
let pooled = 0;

/**
 * Keys for a demo PKI. Fresh ones, unless DEMO_KEY_POOL names a directory (the test suite sets it): then RSA keys
 * are read from `rsa-<n>.pem` there, the n-th key this process asks for, generated and kept when missing. An RSA-2048
 * key costs ≈ 0.2 s of a core here and a demo school's PKI has dozens, which made seeding a signing school most of
 * many test files' time. Keys within a process are all different, so two PKIs a test builds side by side (two
 * deployments, another school) never share one; processes that never meet may.
 */
function demoKeys(algorithm: KeyAlgorithm): crypto.KeyPairKeyObjectResult {
  const dir = process.env.DEMO_KEY_POOL;
  if (!dir || algorithm !== 'RSA-2048') return generateKeys(algorithm);
  const file = path.join(dir, `rsa-${pooled++}.pem`);
  if (fs.existsSync(file)) {
    const privateKey = crypto.createPrivateKey(fs.readFileSync(file));
    return { privateKey, publicKey: crypto.createPublicKey(privateKey) };
  }
  const keys = generateKeys(algorithm);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, pemOf(keys.privateKey));
  fs.renameSync(tmp, file); // whole or not at all, for a process reading it at the same moment
  return keys;
}

export function generateKeys(algorithm: KeyAlgorithm): crypto.KeyPairKeyObjectResult {
  return algorithm === 'ECDSA-P256'
    ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
}

const pemOf = (key: crypto.KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();


/**
 * The software keystore: key + certificate + chain in a PKCS#12 protected by the user's PIN, AES-256 (PBES2) for
 * the key bag (PBKDF2 with HMAC-SHA-256) and the PKCS#12 integrity MAC (HMAC-SHA-1, node-forge's writer; OpenSSL
 * reads it, and openPkcs12 reads OpenSSL's default AES-256/SHA-256 files too).
 */
export function createPkcs12(keyPem: string, certPem: string, chainPems: string[], pin: string): Buffer {
  const key = crypto.createPrivateKey(keyPem);
  if (key.asymmetricKeyType !== 'rsa') {
    throw new AppError('unsupported', 'signing.badKeystore');
  }
  const forgeKey = forge.pki.privateKeyFromPem(key.export({ type: 'pkcs1', format: 'pem' }).toString());
  const certs = [certPem, ...chainPems].map((p) => forge.pki.certificateFromPem(p));
  const asn = forge.pkcs12.toPkcs12Asn1(forgeKey, certs, pin, { algorithm: 'aes256', prfAlgorithm: 'sha256', saltSize: 16, count: 10_000 } as Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3]);
  return Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary');
}

export function openPkcs12(p12: Buffer, pin: string): { privateKey: crypto.KeyObject; certificatePem: string; chainPems: string[] } {
  let parsed: forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary'))), false, pin);
  } catch (e) {
    const message = (e as Error).message ?? '';
    if (/mac|password|decrypt/i.test(message)) throw new AppError('invalid', 'signing.wrongPin');
    throw new AppError('invalid', 'signing.badKeystore');
  }
  const keyBag = parsed.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag]?.[0];
  if (!keyBag?.key) throw new AppError('invalid', 'signing.wrongPin');
  const privateKey = crypto.createPrivateKey(forge.pki.privateKeyToPem(keyBag.key));
  const certPems = (parsed.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).map((b) =>
    forge.pki.certificateToPem(b.cert!),
  );
  // The signer's certificate is the one whose public key matches the private key.
  const publicDer = crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const signer = certPems.find((p) => new crypto.X509Certificate(p).publicKey.export({ type: 'spki', format: 'der' }).equals(publicDer));
  if (!signer) throw new AppError('invalid', 'signing.badKeystore');
  return { privateKey, certificatePem: signer, chainPems: certPems.filter((p) => p !== signer) };
}

export { splitPems };
