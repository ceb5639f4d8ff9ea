import { BIRTH_PROVINCES, ETHNICITIES, FAMILY_NAMES, GIVEN_NAMES, HAMLETS, MIDDLE_NAMES, MOBILE_PREFIXES, PROVINCE_CODES } from './names';
import type { Rng } from '../core/random';

export type Sex = 'male' | 'female';
type Generation = 'staff' | 'student';

/** Every string the demo writes goes through here: names typed in another normal form would not match a search. */
export const nfc = (s: string): string => s.normalize('NFC');

export interface PersonName {
  family: string;
  middle: string[];
  given: string;
  fullName: string;
}

/**
 * People with names, birth dates and personal IDs that look real. One factory per generation run, because the
 * 12-digit IDs and the student codes must be unique across everyone it makes.
 */
export function createPeople(rng: Rng) {
  const usedIds = new Set<string>();
  const usedStudentCodes = new Set<string>();

  function name(sex: Sex, generation: Generation, family = rng.weighted(FAMILY_NAMES)): PersonName {
    const middle = [rng.weighted(MIDDLE_NAMES[generation][sex])];
    // Girls' names often carry a second middle name after Thị (Nguyễn Thị Ngọc Anh).
    if (generation === 'student' && sex === 'female' && middle[0] === 'Thị' && rng.chance(0.5)) {
      middle.push(rng.weighted(MIDDLE_NAMES.student.female.filter(([m]) => m !== 'Thị')));
    }
    let given = rng.pick(GIVEN_NAMES[sex]);
    // "Minh Minh" or "Anh Anh" would look like a typo in a demo.
    while (middle.includes(given)) given = rng.pick(GIVEN_NAMES[sex]);
    return { family, middle, given, fullName: nfc([family, ...middle, given].join(' ')) };
  }

  /** A day in `year`; the 28th at most, so every month works. */
  function birthDate(year: number): string {
    return `${year}-${pad(rng.int(1, 12), 2)}-${pad(rng.int(1, 28), 2)}`;
  }

  function birthProvince(generation: Generation): string {
    return rng.weighted(BIRTH_PROVINCES[generation]);
  }

  /**
   * Personal ID (CCCD, Thông tư 59/2021/TT-BCA): province code (3), sex-and-century digit (0/1 = male/female born
   * 1900–1999, 2/3 = 2000–2099), last two digits of the birth year, then 6 random digits.
   */
  function nationalId(province: string, sex: Sex, birthYear: number): string {
    const century = birthYear >= 2000 ? 2 : 0;
    const prefix = `${PROVINCE_CODES[province]}${century + (sex === 'female' ? 1 : 0)}${pad(birthYear % 100, 2)}`;
    for (;;) {
      const id = prefix + rng.digits(6);
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  }

  /** Student code as in the education database: the province's 2-digit code, then 8 digits. */
  function studentCode(): string {
    for (;;) {
      const code = `37${rng.digits(8)}`;
      if (!usedStudentCodes.has(code)) {
        usedStudentCodes.add(code);
        return code;
      }
    }
  }

  return {
    name,
    birthDate,
    birthProvince,
    nationalId,
    studentCode,
    phone: (): string => rng.pick(MOBILE_PREFIXES) + rng.digits(7),
    ethnicity: (): string => rng.weighted(ETHNICITIES),
    address: (commune: string, province: string): string => nfc(`Thôn ${rng.pick(HAMLETS)}, ${commune}, ${province}`),
  };
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
