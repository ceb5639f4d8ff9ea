import { Button, Card, CardContent, CardHeader, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { useTranslate } from 'react-admin';
import { Link } from 'react-router-dom';
import { API_URL, httpClient } from '../api/client';

/** The total of a ra-data-simple-rest list, from `Content-Range: archive-entries 0-0/12`. */
const totalOf = (range: string | null) => Number(/\/(\d+)$/.exec(range ?? '')?.[1] ?? 0);

/** Văn thư's home page: the register, with how many entries this school year holds (struck ones not counted). */
export function ArchiveCard() {
  const translate = useTranslate();
  const [count, setCount] = useState<{ n: number; filter: string } | null>(null);
  useEffect(() => {
    void (async () => {
      const years = (await httpClient(`${API_URL}/school-years?filter=${encodeURIComponent(JSON.stringify({ isCurrent: true }))}`)).json as Array<{ id: number }>;
      const filter = JSON.stringify(years[0] ? { schoolYearId: years[0].id, deleted: false } : { deleted: false });
      const res = await httpClient(`${API_URL}/archive-entries?range=[0,0]&filter=${encodeURIComponent(filter)}`);
      setCount({ n: totalOf(res.headers.get('Content-Range')), filter });
    })().catch(() => setCount(null));
  }, []);
  return (
    <Card data-testid="week-archive">
      <CardHeader title={translate('resources.archive-entries.name')} slotProps={{ title: { variant: 'subtitle1' } }} />
      <CardContent sx={{ pt: 0 }}>
        {count && <Typography sx={{ mb: 1 }}>{translate('app.archive.this_year', { count: count.n })}</Typography>}
        <Button variant="contained" component={Link} to={count ? `/archive-entries?filter=${encodeURIComponent(count.filter)}` : '/archive-entries'}>
          {translate('app.archive.open_register')}
        </Button>
      </CardContent>
    </Card>
  );
}
