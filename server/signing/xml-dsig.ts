/** XMLDSig / XAdES constants and DOM helpers shared by signing and verification. */
import crypto from 'node:crypto';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { AppError } from '../core/errors';
import { certificateDer, issuerSerial, parseCertificate, sha256 } from './der';
import type { KeyAlgorithm } from './types';

export const NS = {
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xades: 'http://uri.etsi.org/01903/v1.3.2#',
};

export const ALG = {
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  ecdsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256',
  signedPropertiesType: 'http://uri.etsi.org/01903#SignedProperties',
};

const c14n = new ExclusiveCanonicalization();

/** Exclusive XML canonicalisation (without comments) of an element, as the Reference transforms say. */
export function canonicalize(node: Element): string {
  return c14n.process(node, {}) as string;
}

export const digestB64 = (text: string | Buffer) => sha256(text).toString('base64');

/** Every element carrying an `Id`, by value; a duplicate Id is refused (it is how signature-wrapping attacks start). */
export function indexIds(doc: Document): Map<string, Element> {
  const map = new Map<string, Element>();
  const stack: Node[] = [doc.documentElement];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeType !== 1) continue;
    const el = node as Element;
    const id = el.getAttribute('Id');
    if (id) {
      if (map.has(id)) throw new AppError('invalid', 'xml.malformed', { detail: `Id "${id}" xuất hiện hai lần` });
      map.set(id, el);
    }
    for (let c = el.lastChild; c; c = c.previousSibling) if (c.nodeType === 1) stack.push(c);
  }
  return map;
}

/** What signing needs of a certificate, computed once per certificate (a batch signs hundreds with one). */
export interface CertMaterial {
  base64: string;
  digestB64: string;
  issuerSerialV2: string;
  algorithm: KeyAlgorithm;
  publicKey: crypto.KeyObject;
}

const certCache = new Map<string, CertMaterial>();

export function certMaterial(pem: string): CertMaterial {
  const hit = certCache.get(pem);
  if (hit) return hit;
  const der = certificateDer(pem);
  const x = new crypto.X509Certificate(der);
  const material: CertMaterial = {
    base64: der.toString('base64'),
    digestB64: sha256(der).toString('base64'),
    issuerSerialV2: Buffer.from(issuerSerial(parseCertificate(pem)).toSchema().toBER(false)).toString('base64'),
    algorithm: x.publicKey.asymmetricKeyType === 'ec' ? 'ECDSA-P256' : 'RSA-2048',
    publicKey: x.publicKey,
  };
  if (certCache.size > 256) certCache.clear();
  certCache.set(pem, material);
  return material;
}

export function isNcName(id: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(id);
}

/** Direct element children with this namespace and local name. */
export function childrenNS(el: Element, ns: string, local: string): Element[] {
  const out: Element[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1 && (c as Element).namespaceURI === ns && (c as Element).localName === local) out.push(c as Element);
  }
  return out;
}

export function descendantsNS(root: Element | Document, ns: string, local: string): Element[] {
  return Array.from(root.getElementsByTagNameNS(ns, local) as unknown as ArrayLike<Element>);
}
