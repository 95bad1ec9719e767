import 'reflect-metadata';
import { Body, Controller, Post, Query, Get } from '@nestjs/common';
import { z } from 'zod';
import { ZodPipe } from '../http/errors';
import { ApiZodBody, ApiZodQuery, queryParameters, zodSchemasOf, zodToOpenApi } from './openapi';

const Register = z.strictObject({
  name: z.string().trim().min(1).max(40),
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .transform((s) => new Date(s)),
  level: z.number().int().min(1).max(5).optional(),
});
const Page = z.strictObject({ q: z.string().optional(), limit: z.coerce.number().int().min(1).max(50).default(20) });

@Controller('things')
class ThingsController {
  @Post()
  create(@Body(new ZodPipe(Register)) body: unknown) {
    return body;
  }

  @Get()
  list(@Query(new ZodPipe(Page)) query: unknown) {
    return query;
  }

  @Post('inline')
  @ApiZodBody(Register)
  @ApiZodQuery(Page)
  inline(@Body() body: unknown, @Query() query: unknown) {
    return { body: Register.parse(body), query: Page.parse(query) };
  }

  @Post('field')
  field(@Body('name', new ZodPipe(z.string())) name: string) {
    return name;
  }
}

describe('OpenAPI from zod schemas', () => {
  it('describes what a client sends: strict objects, input side of transforms, required fields', () => {
    expect(zodToOpenApi(Register)).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 40 },
        day: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
        level: { type: 'integer', minimum: 1, maximum: 5 },
      },
      required: ['name', 'day'],
      additionalProperties: false,
    });
  });

  it('turns an object query schema into one parameter per property', () => {
    expect(queryParameters(Page)).toEqual([
      { name: 'q', required: false, schema: { type: 'string' } },
      { name: 'limit', required: false, schema: expect.objectContaining({ type: 'integer', minimum: 1, maximum: 50, default: 20 }) },
    ]);
    const union = queryParameters(z.union([z.strictObject({ a: z.string() }), z.strictObject({ b: z.string() })]));
    expect(union).toEqual([expect.objectContaining({ name: 'query', style: 'form', explode: true })]);
  });

  it('finds the schemas of ZodPipes on whole bodies and queries, and of @ApiZodBody/@ApiZodQuery', () => {
    expect(zodSchemasOf(ThingsController, 'create')).toEqual({ body: Register, query: undefined });
    expect(zodSchemasOf(ThingsController, 'list')).toEqual({ body: undefined, query: Page });
    expect(zodSchemasOf(ThingsController, 'inline')).toEqual({ body: Register, query: Page });
    // A pipe on one field does not describe the whole body.
    expect(zodSchemasOf(ThingsController, 'field')).toEqual({ body: undefined, query: undefined });
  });
});
