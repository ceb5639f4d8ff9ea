import { Box, Typography } from '@mui/material';
import type { ReactNode } from 'react';

/** One labelled fact of a public check page (a transcript's or a printed book's): label above, value below. */
export function FactRow({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  return (
    <Box sx={{ py: 1, borderTop: 1, borderColor: 'divider' }}>
      <Typography variant="caption" color="text.secondary" component="div">
        {label}
      </Typography>
      <Typography variant="body1" component="div" sx={mono ? { fontFamily: 'monospace', wordBreak: 'break-all', fontSize: 14 } : undefined}>
        {children}
      </Typography>
    </Box>
  );
}
