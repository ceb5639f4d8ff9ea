import type { ReactNode } from 'react';
import { DataTable, ReferenceManyField, type SortPayload } from 'react-admin';

/**
 * The records of `reference` that point at the shown one through `target` (a class's students, a staff member's
 * assignments…), as a table whose rows open the record. `label` titles it in a SimpleShowLayout.
 */
export const RelatedTable = ({
  reference,
  target,
  label,
  sort,
  perPage,
  children,
}: {
  reference: string;
  target: string;
  label?: string;
  sort?: SortPayload;
  perPage?: number;
  children: ReactNode;
}) => (
  <ReferenceManyField reference={reference} target={target} label={label} sort={sort} perPage={perPage}>
    <DataTable bulkActionButtons={false} rowClick="show">
      {children}
    </DataTable>
  </ReferenceManyField>
);
