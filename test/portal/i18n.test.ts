import englishMessages from 'ra-language-english';
import { describe, expect, it } from 'vitest';
import { RESOURCES, ROLES } from '../../domain/permissions';
import { AUDIT_ACTIONS, AUDIT_ENTITIES, POSTS } from '../../portal/src/common/choices';
import englishAppMessages, { appEnglish } from '../../portal/src/i18n/en';
import { leafPaths } from '../../portal/src/i18n/deepMerge';
import vietnameseMessages, { appVietnamese } from '../../portal/src/i18n/vi';

type Tree = Record<string, unknown>;

function lookup(tree: Tree, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Tree)[key] : undefined), tree);
}

const placeholders = (s: string) => [...s.matchAll(/%\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('portal i18n', () => {
  const englishRaPaths = leafPaths(englishMessages as Tree);

  it('has a Vietnamese message for every react-admin key of ra-language-english', () => {
    const missing = englishRaPaths.filter((p) => {
      const v = lookup(vietnameseMessages as Tree, p);
      return typeof v !== 'string' || (v.trim() === '' && p !== 'ra.boolean.null');
    });
    expect(missing).toEqual([]);
  });

  it('keeps the placeholders react-admin passes to each ra.* message', () => {
    // A Vietnamese string may leave out a placeholder (e.g. smart_count) but must not invent one react-admin
    // never passes, or users see "%{…}" on screen.
    const invented = englishRaPaths.flatMap((p) => {
      const en = lookup(englishMessages as Tree, p) as string;
      const vi = lookup(vietnameseMessages as Tree, p) as string;
      const allowed = new Set([...placeholders(en), 'smart_count', 'name', 'id', 'recordRepresentation']);
      return placeholders(vi)
        .filter((ph) => !allowed.has(ph))
        .map((ph) => `${p}: %{${ph}}`);
    });
    expect(invented).toEqual([]);
  });

  it('has the same app keys in Vietnamese and English', () => {
    const vi = leafPaths(appVietnamese as Tree).sort();
    const en = leafPaths(appEnglish as Tree).sort();
    expect(en).toEqual(vi);
    for (const p of vi) {
      expect(placeholders(lookup(appEnglish as Tree, p) as string), p).toEqual(placeholders(lookup(appVietnamese as Tree, p) as string));
    }
  });

  it('names every resource and every role in both languages', () => {
    for (const messages of [vietnameseMessages, englishAppMessages] as Tree[]) {
      for (const r of RESOURCES) expect(typeof lookup(messages, `resources.${r}.name`), r).toBe('string');
      for (const role of ROLES) expect(typeof lookup(messages, `app.roles.${role}`), role).toBe('string');
      for (const post of POSTS) expect(typeof lookup(messages, `app.choices.post.${post}`), post).toBe('string');
      for (const a of AUDIT_ACTIONS) expect(typeof lookup(messages, `app.choices.auditAction.${a}`), a).toBe('string');
      for (const e of AUDIT_ENTITIES) expect(typeof lookup(messages, `app.choices.auditEntity.${e}`), e).toBe('string');
    }
  });

  it('uses the Vietnamese role names of the school', () => {
    expect(lookup(vietnameseMessages as Tree, 'app.roles')).toEqual({
      admin: 'Quản trị hệ thống',
      principal: 'Hiệu trưởng',
      vice_principal: 'Phó hiệu trưởng',
      department_head: 'Tổ trưởng chuyên môn',
      homeroom_teacher: 'Giáo viên chủ nhiệm',
      subject_teacher: 'Giáo viên bộ môn',
      academic_staff: 'Giáo vụ',
      records_clerk: 'Văn thư',
      accountant: 'Kế toán',
      student: 'Học sinh/Phụ huynh',
      education_office: 'Phòng/Sở GDĐT',
    });
  });

  it('lets ra-language-vietnamese win where it has a key', () => {
    expect(lookup(vietnameseMessages as Tree, 'ra.action.save')).toBe('Lưu');
    expect(lookup(vietnameseMessages as Tree, 'ra.auth.sign_in')).toBe('Đăng nhập');
  });
});
