import { useTranslate } from 'react-admin';

/** The audited entity by its resource name in the UI language (`students` → "Học sinh"). */
export function EntityName({ entity }: { entity?: string | null }) {
  const translate = useTranslate();
  if (!entity) return null;
  return <>{translate(`resources.${entity}.name`, { smart_count: 1, _: entity })}</>;
}
