import { apiCall } from '../api/client';
import type { GridData, SaveCell, SaveComment } from './types';

export interface GradebookRef {
  classId: number;
  subjectId: number;
  semesterId: number;
}

const query = (r: GradebookRef) => `classId=${r.classId}&subjectId=${r.subjectId}&semesterId=${r.semesterId}`;

export const gradebookApi = {
  load: (r: GradebookRef) => apiCall<GridData>(`/gradebook?${query(r)}`),
  /** One request, one transaction: 200 with the fresh grid, or 400 / 409 / 423 (see types.ts). */
  save: (r: GradebookRef, cells: SaveCell[], comments: SaveComment[]) =>
    apiCall<GridData>('/gradebook', { method: 'PUT', body: { ...r, cells, comments } }),
  setTestDate: (r: GradebookRef, kind: 'midterm' | 'final', testDate: string, confirm = false) =>
    apiCall<{ kind: string; testDate: string }>('/gradebook/test-dates', { method: 'PUT', body: { ...r, kind, testDate, ...(confirm ? { confirm } : {}) } }),
  /** Đề nghị sửa ngày kiểm tra: an unlock request that names the right date (the principal approves it). */
  requestTestDateFix: (r: GradebookRef, kind: 'midterm' | 'final', date: string, reason: string) =>
    apiCall<{ id: number }>('/unlock-requests', { method: 'POST', body: { reason, cells: [], testDate: { ...r, kind, date } } }),
  requestUnlock: (reason: string, cells: Array<GradebookRef & { studentId: number; kind: string; seq: number }>) =>
    apiCall<{ id: number }>('/unlock-requests', { method: 'POST', body: { reason, cells } }),
  requestCorrection: (body: GradebookRef & { studentId: number; kind: string; seq: number; newValue: string | null; reason: string; witnessUserId?: number }) =>
    apiCall<{ id: number }>('/correction-requests', { method: 'POST', body }),
};
