import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { Role } from './shell/navigation';

/**
 * Every area of the site: a folder under src/app/<area>/ whose default export renders the area's
 * own <Routes> (paths relative to /<path>/). Consoles are loaded on demand, so a shopper on a phone
 * never downloads them (or Ant Design). Add yours here; see apps/web/README.md.
 */
export interface Area {
  /** first path segment, e.g. 'merchant' → /merchant/* */
  path: string;
  /** who may open it (any of); omitted = everyone, signed in or not */
  roles?: Role[];
  component: LazyExoticComponent<ComponentType>;
}

export const AREAS: Area[] = [
  { path: 'merchant', roles: ['merchant'], component: lazy(() => import('./merchant/merchant-area')) },
  { path: 'certifier', roles: ['certifier', 'inspector'], component: lazy(() => import('./certifier/certifier-area')) },
  { path: 'operator', roles: ['operator'], component: lazy(() => import('./operator/operator-area')) },
  { path: 'dispatch', roles: ['dispatcher', 'operator'], component: lazy(() => import('./dispatch/dispatch-area')) },
  // Open to guests: a guest's cart lives here; the area guards its other pages itself.
  { path: 'orders', component: lazy(() => import('./orders/orders-area')) },
  { path: 'buyer', roles: ['buyer'], component: lazy(() => import('./buyer/buyer-area')) },
];
