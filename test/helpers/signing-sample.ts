/** A transcript-shaped sample document and a demo PKI for the signing toolkit tests and bench. */
import { createDemoPki, type DemoPki } from '../../server/signing/pki';
import { signToBeSigned } from '../../server/signing/key-holder';
import { assembleXmlSignatures, prepareXmlSignatures } from '../../server/signing/xades';
import crypto from 'node:crypto';
import type { XmlSignatureRequest } from '../../server/signing/types';

const subjects = ['TOAN', 'NGU-VAN', 'TIENG-ANH', 'LICH-SU-DIA-LI', 'KHTN', 'GDCD', 'CONG-NGHE', 'TIN-HOC', 'GDTC', 'NGHE-THUAT', 'HDTN', 'GDDP'];

/** A sample transcript; `subjectCount` subject tables, `padding` score rows per table to reach a realistic size. */
export function sampleTranscript(opts: { subjectCount?: number; rows?: number } = {}): string {
  const n = opts.subjectCount ?? 2;
  const rows = opts.rows ?? 3;
  const table = (code: string, score: string) =>
    `<bangdiem Id="bd-2025-2026-${code}" mamonhoc="${code}">` +
    Array.from({ length: rows }, (_, i) => `<diem loai="dgtx" lan="${i + 1}">${(7 + (i % 3) * 0.5).toFixed(1).replace('.', ',')}</diem>`).join('') +
    `<diemgk>7,5</diemgk><diemck>8,0</diemck><diemcanam>${score}</diemcanam><nhanxet>Học tập chăm chỉ &amp; tiến bộ</nhanxet></bangdiem>`;
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<hocbaso xmlns="urn:hocbaso:v1" phienbanschema="1">` +
    `<hocsinh Id="hocsinh"><hoten>Nguyễn Thị Ánh Dương</hoten><ngaysinh>2012-05-14</ngaysinh><madinhdanh>001312000123</madinhdanh></hocsinh>` +
    `<namhoc Id="nh-2025-2026" nam="2025-2026">` +
    subjects.slice(0, n).map((c, i) => table(c, c === 'TOAN' ? '8,3' : (7 + (i % 4) * 0.4).toFixed(1).replace('.', ','))).join('') +
    `<tonghop Id="th-2025-2026"><hocluc>Tốt</hocluc><renluyen>Tốt</renluyen><ketqua>Được lên lớp</ketqua></tonghop></namhoc>` +
    `<chuky/></hocbaso>`
  );
}

export const sampleSubjects = subjects;

export function samplePki(now = new Date()): DemoPki {
  return createDemoPki({
    schoolName: 'Trường THCS Nguyễn Du',
    schoolCode: '0101234567',
    now,
    people: [
      { key: 'toan', fullName: 'Trần Văn Toán', nationalId: '001080000001' },
      { key: 'van', fullName: 'Lê Thị Văn', nationalId: '001080000002' },
      { key: 'gvcn', fullName: 'Phạm Thu Hà', nationalId: '001080000003' },
      { key: 'ht', fullName: 'Đỗ Quang Hiệu', nationalId: '001080000004' },
    ],
  });
}

/** prepare → sign → assemble, one call per group of requests, with each request's key. */
export function signXml(xml: string, requests: (XmlSignatureRequest & { keyPem: string })[]): string {
  const { preparedXml, items } = prepareXmlSignatures(xml, requests);
  const values = items.map((it, i) => ({ signatureId: it.signatureId, signatureValue: signToBeSigned(crypto.createPrivateKey(requests[i].keyPem), it.toBeSigned) }));
  return assembleXmlSignatures(preparedXml, values);
}

/** The four steps of the chain on the sample (two subject teachers, homeroom, principal, seal). */
export function signSampleChain(xml: string, pki: DemoPki, signingTime = new Date().toISOString()): string {
  const req = (signatureId: string, references: string[], who: { certPem: string; keyPem: string }) => ({
    signatureId,
    references,
    certificatePem: who.certPem,
    keyPem: who.keyPem,
    signingTime,
    containerLocalName: 'chuky',
  });
  let out = signXml(xml, [req('sig-gvbm-2025-2026-TOAN', ['bd-2025-2026-TOAN'], pki.people.toan), req('sig-gvbm-2025-2026-NGU-VAN', ['bd-2025-2026-NGU-VAN'], pki.people.van)]);
  out = signXml(out, [req('sig-gvcn-2025-2026', ['hocsinh', 'th-2025-2026'], pki.people.gvcn)]);
  out = signXml(out, [req('sig-duyet-2025-2026', ['hocsinh', 'nh-2025-2026'], pki.people.ht)]);
  return signXml(out, [req('sig-condau', [''], pki.seal)]);
}
