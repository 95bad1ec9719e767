import { freshMongoUri, withDatabase } from './testing';

describe('test database URIs', () => {
  it('puts the database name into the path and keeps hosts and options', () => {
    expect(withDatabase('mongodb://127.0.0.1:27017/?replicaSet=rs0', 'x')).toBe('mongodb://127.0.0.1:27017/x?replicaSet=rs0');
    expect(withDatabase('mongodb://u:p@h1:1,h2:2/old?authSource=admin', 'x')).toBe('mongodb://u:p@h1:1,h2:2/x?authSource=admin');
    expect(withDatabase('mongodb+srv://cluster.example.net', 'x')).toBe('mongodb+srv://cluster.example.net/x');
    expect(() => withDatabase('http://nope', 'x')).toThrow(/mongodb/);
  });

  it('gives every test file its own valid database name', () => {
    const a = freshMongoUri('catalog search!');
    const b = freshMongoUri('catalog search!');
    expect(a).not.toBe(b);
    const name = /\/(test_[^?]+)\?/.exec(a)?.[1] ?? '';
    expect(name).toMatch(/^test_catalog_search__[0-9a-f]{12}$/);
    expect(name.length).toBeLessThan(64);
  });
});
