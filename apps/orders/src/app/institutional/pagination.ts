import { z } from 'zod';

export const PageQuery = {
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
};

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}
