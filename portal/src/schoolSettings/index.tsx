import SettingsIcon from '@mui/icons-material/Settings';
import { Alert } from '@mui/material';
import {
  BooleanField,
  BooleanInput,
  DataTable,
  Edit,
  List,
  NumberField,
  NumberInput,
  maxValue,
  minValue,
  regex,
  required,
  SelectInput,
  Show,
  SimpleForm,
  SimpleShowLayout,
  TextField,
  TextInput,
  useTranslate,
} from 'react-admin';
import { ChoiceColumn, RefColumn } from '../common/columns';
import { ChoiceField } from '../common/fields';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7].map((id) => ({ id, name: `app.choices.weekday.${id}` }));
const PROCEDURES = ['witnessed', 'admin'].map((id) => ({ id, name: `app.choices.correctionProcedure.${id}` }));

/** Cutoffs of one school (seed 000/002): weekly regular cutoff, periodic window, unlock hours, correction procedure. */
const SettingsList = () => (
  <List exporter={false} pagination={false}>
    <DataTable bulkActionButtons={false} rowClick="edit">
      <RefColumn source="schoolId" reference="schools" link={false} />
      <ChoiceColumn source="regularCutoffWeekday" group="weekday" />
      <DataTable.Col source="regularCutoffTime" />
      <DataTable.Col source="periodicWindowDays">
        <NumberField source="periodicWindowDays" />
      </DataTable.Col>
      <DataTable.Col source="unlockHours">
        <NumberField source="unlockHours" />
      </DataTable.Col>
      <ChoiceColumn source="correctionProcedure" group="correctionProcedure" />
    </DataTable>
  </List>
);

const SettingsShow = () => (
  <Show>
    <SimpleShowLayout>
      <ChoiceField source="regularCutoffWeekday" group="weekday" />
      <TextField source="regularCutoffTime" />
      <NumberField source="periodicWindowDays" />
      <NumberField source="unlockHours" />
      <ChoiceField source="correctionProcedure" group="correctionProcedure" />
      <BooleanField source="digitisationDoubleEntry" />
    </SimpleShowLayout>
  </Show>
);

function SettingsEdit() {
  const translate = useTranslate();
  return (
    <Edit mutationMode="pessimistic" redirect="list">
      <SimpleForm>
        <Alert severity="info" sx={{ mb: 2 }}>
          {translate('app.settings.note')}
        </Alert>
        <SelectInput source="regularCutoffWeekday" choices={WEEKDAYS} validate={required()} />
        <TextInput source="regularCutoffTime" validate={[required(), regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'app.settings.time_format')]} helperText="app.settings.time_help" />
        <NumberInput source="periodicWindowDays" min={1} max={60} validate={[required(), minValue(1), maxValue(60)]} helperText="app.settings.window_help" />
        <NumberInput source="unlockHours" min={1} max={336} validate={[required(), minValue(1), maxValue(336)]} helperText="app.settings.unlock_help" />
        <SelectInput source="correctionProcedure" choices={PROCEDURES} validate={required()} helperText="app.settings.procedure_help" />
        <BooleanInput source="digitisationDoubleEntry" helperText="app.settings.double_entry_help" />
      </SimpleForm>
    </Edit>
  );
}

export default {
  name: 'school-settings',
  list: SettingsList,
  show: SettingsShow,
  edit: SettingsEdit,
  icon: SettingsIcon,
  recordRepresentation: () => '',
};
