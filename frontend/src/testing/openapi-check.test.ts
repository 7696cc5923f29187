import * as z from 'zod/mini';
import { compareSchemas, responseSchema, type OpenApiDocument } from './openapi-check';

const doc: OpenApiDocument = {
  paths: { '/api/things/{id}/': { get: { responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } } } } } },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        required: ['id', 'name', 'tags', 'owner'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          name: { type: 'string' },
          bpm: { type: 'number', nullable: true },
          tags: { type: 'array', items: { type: 'string' } },
          owner: { $ref: '#/components/schemas/Owner' },
          extra: {},
        },
      },
      Owner: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } }, nullable: true },
    },
  },
};

const schema = () => responseSchema(doc, '/api/things/{}/', 'get', '200')!;

describe('compareSchemas', () => {
  it('accepts a client schema that matches the document', () => {
    const client = z.object({
      id: z.string(),
      name: z.string(),
      bpm: z.nullish(z.number()),
      tags: z.array(z.string()),
      owner: z.nullable(z.object({ id: z.pipe(z.union([z.string(), z.number()]), z.transform(String)) })),
      extra: z.optional(z.unknown()),
    });
    expect(compareSchemas(client, schema(), doc)).toEqual([]);
  });

  it('reports missing fields, wrong types and unhandled nulls', () => {
    const client = z.object({
      id: z.number(),
      title: z.string(),
      bpm: z.number(),
      tags: z.array(z.number()),
      owner: z.object({ id: z.string() }),
    });
    expect(compareSchemas(client, schema(), doc)).toEqual([
      '$.id: client expects number, server documents string',
      '$.title: the client requires it, the server does not document it',
      '$.bpm: the client requires it, the server marks it optional',
      '$.bpm: the server may send null, the client does not accept it',
      '$.tags[]: client expects number, server documents string',
      '$.owner: the server may send null, the client does not accept it',
      '$.owner.id: client expects string, server documents integer',
    ]);
  });

  it('finds no schema for an undocumented response', () => {
    expect(responseSchema(doc, '/api/nothing/', 'get', '200')).toBeNull();
  });
});
