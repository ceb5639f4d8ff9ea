import type { CorrectionsLine } from './types';

/**
 * The line under each year's results table (TT22 paper form): "Trong trang này có sửa chữa ở … chỗ, thuộc môn
 * học …". On paper the homeroom teacher fills it in by hand; here it comes from the applied correction requests.
 */
export function correctionsSentence(line: CorrectionsLine): string {
  if (line.count === 0) return 'Trong trang này không có chỗ nào sửa chữa.';
  const subjects = line.subjects.length > 0 ? line.subjects.join(', ') : '…';
  return `Trong trang này có sửa chữa ở ${line.count} chỗ, thuộc môn học ${subjects}.`.normalize('NFC');
}
