/**
 * Moved into domain/permissions.ts, the one permission source. Re-exported here only for the portal pages that
 * still import this path (portal/src/imports, portal/src/results/ResultListsPage.tsx); new code imports
 * domain/permissions.ts.
 */
export { IMPORT_KINDS, IMPORT_ROLES, CARRY_OVER_ROLES, importSchoolIds, canImport, carryOverSchoolIds, canCarryOver, type ImportKind } from './permissions';
