import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../helpers/app.ts';

const expectErrorShape = (body: unknown) =>
  expect(body).toMatchObject({
    error: { code: expect.stringMatching(/^[a-z]+(-[a-z]+)*$/), message: expect.any(String) },
  });

describe('bad input at the HTTP edge', () => {
  it('answers malformed JSON with 400 malformed-json', async () => {
    const t = await createTestContext();
    const res = await request(t.app)
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"username": "a", ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed-json');
  });

  it('answers a body over 1 MB with 413 payload-too-large', async () => {
    const t = await createTestContext();
    const res = await request(t.app)
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ username: 'x'.repeat(1_100_000), password: 'y' }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload-too-large');
  });

  it('answers a form-encoded body with 415, so a cross-site form cannot post', async () => {
    const t = await createTestContext();
    const res = await request(t.app)
      .post('/api/auth/login')
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send('username=a&password=b');
    expect(res.status).toBe(415);
    expectErrorShape(res.body);
  });

  it('answers wrong types with 400 and the field path', async () => {
    const t = await createTestContext();
    const res = await request(t.app)
      .post('/api/auth/login')
      .send({ username: 42, password: ['x'] });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid-input');
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      'password',
      'username',
    ]);
  });

  it('answers a JSON array, null or a string where an object is expected with 400', async () => {
    const t = await createTestContext();
    for (const body of ['[]', 'null', '"text"', '12']) {
      const res = await request(t.app)
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send(body);
      expect(res.status, body).toBe(400);
      expectErrorShape(res.body);
    }
  });

  it('answers unknown routes with 404 route-not-found, and a bad token with 401', async () => {
    const t = await createTestContext();
    const unknown = await request(t.app).get('/api/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('route-not-found');
    const badToken = await request(t.app).get('/api/items').set('Authorization', 'Bearer cst_not-a-token');
    expect(badToken.status).toBe(401);
    expect(badToken.body.error.code).toBe('invalid-token');
  });
});
