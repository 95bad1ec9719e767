import { Route, Routes } from 'react-router';
import { HallPage } from './hall-page';
import { PriceIndexPage } from './price-index-page';
import { ProductPage } from './product-page';

/** The brand hall: plain React and CSS (no Ant Design), so a phone's first view stays small. */
export function HallArea() {
  return (
    <Routes>
      <Route index element={<HallPage />} />
      <Route path="products/:id" element={<ProductPage />} />
      <Route path="price-index" element={<PriceIndexPage />} />
    </Routes>
  );
}
