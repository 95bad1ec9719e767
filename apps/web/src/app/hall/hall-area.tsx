import { Route, Routes } from 'react-router';
import { HallPage } from './hall-page';

/** The brand hall: plain React and CSS (no Ant Design), so a phone's first view stays small. */
export function HallArea() {
  return (
    <Routes>
      <Route index element={<HallPage />} />
    </Routes>
  );
}
