import { z } from 'zod';
import { ROLES, type Grant } from '../../domain/permissions';
import { name } from '../core/fields';

/** An account's role with its scope, as the API takes and returns it. */
export const RoleInput = z
  .strictObject({
    role: z.enum(ROLES),
    departmentIds: z.array(z.number().int().positive()).max(50).nullish(),
    grades: z.array(z.number().int().min(1).max(12)).max(12).nullish(),
    manageAccounts: z.boolean().nullish(),
    departmentId: z.number().int().positive().nullish(),
    studentId: z.number().int().positive().nullish(),
  })
  .transform(normaliseRole);

export type RoleInput = z.output<typeof RoleInput>;

/** Keeps only the scope fields a role uses, so stray values never widen a grant. */
function normaliseRole(r: {
  role: Grant['role'];
  departmentIds?: number[] | null;
  grades?: number[] | null;
  manageAccounts?: boolean | null;
  departmentId?: number | null;
  studentId?: number | null;
}) {
  return {
    role: r.role,
    departmentIds: r.role === 'vice_principal' ? [...new Set(r.departmentIds ?? [])] : [],
    grades: r.role === 'vice_principal' ? [...new Set(r.grades ?? [])].sort((a, b) => a - b) : [],
    manageAccounts: r.role === 'vice_principal' ? r.manageAccounts === true : false,
    departmentId: r.role === 'department_head' ? (r.departmentId ?? null) : null,
    studentId: r.role === 'student' ? (r.studentId ?? null) : null,
  };
}

export const USERNAME = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/);

export const CreateUser = z.strictObject({
  schoolId: z.number().int().positive().optional(),
  username: USERNAME,
  fullName: name(200),
  email: z.email().max(200).nullish(),
  password: z.string().min(1).max(128),
  staffId: z.number().int().positive().nullish(),
  studentId: z.number().int().positive().nullish(),
  roles: z.array(RoleInput).min(1).max(20),
});

export const UpdateUser = z
  .strictObject({
    fullName: name(200),
    email: z.email().max(200).nullish(),
    staffId: z.number().int().positive().nullish(),
    studentId: z.number().int().positive().nullish(),
    disabled: z.boolean(),
    mustChangePassword: z.boolean(),
    roles: z.array(RoleInput).min(1).max(20),
  })
  .partial();

export type CreateUser = z.output<typeof CreateUser>;
export type UpdateUser = z.output<typeof UpdateUser>;
