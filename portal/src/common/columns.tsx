import { DataTable, type DataTableColumnProps } from 'react-admin';
import { ChoiceField, DateField, DateTimeField } from './fields';
import { Ref } from './references';

/**
 * DataTable columns for the portal's own fields: `<DateColumn source="startDate" />` instead of a `DataTable.Col`
 * wrapping a `DateField` of the same source. The header, sorting and column label stay DataTable.Col's.
 */
type ColumnProps = Omit<DataTableColumnProps, 'source' | 'children' | 'field' | 'render'> & { source: string };

/** A calendar date, dd/mm/yyyy. */
export const DateColumn = ({ source, ...col }: ColumnProps) => (
  <DataTable.Col source={source} {...col}>
    <DateField source={source} />
  </DataTable.Col>
);

/** An instant in Vietnam time (with `seconds` when it matters, as in the audit log). */
export const DateTimeColumn = ({ source, seconds, ...col }: ColumnProps & { seconds?: boolean }) => (
  <DataTable.Col source={source} {...col}>
    <DateTimeField source={source} seconds={seconds} />
  </DataTable.Col>
);

/** A translated enum value of `app.choices.<group>`. */
export const ChoiceColumn = ({ source, group, ...col }: ColumnProps & { group: string }) => (
  <DataTable.Col source={source} {...col}>
    <ChoiceField source={source} group={group} />
  </DataTable.Col>
);

/** A reference (see `Ref`): a link to the record where the user may go, unless `link={false}`. */
export const RefColumn = ({ source, reference, link, ...col }: ColumnProps & { reference: string; link?: false }) => (
  <DataTable.Col source={source} {...col}>
    <Ref source={source} reference={reference} link={link} />
  </DataTable.Col>
);
