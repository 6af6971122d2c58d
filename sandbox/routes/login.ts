/**
 * `POST /login`: username and password for a bearer token.
 */
import { LoginRequest } from '../../common/alegion.ts';
import type { Route } from '../app.ts';
import { issueToken } from '../auth.ts';
import { HttpError, readJson, sendJson, validate } from '../http.ts';

/** The login route (it needs the API key, but no token). */
export const loginRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v1/login',
    auth: 'key',
    handler: async ({ app, req, res }) => {
      const body = validate(LoginRequest, await readJson(req));
      const token = issueToken(app, body.username, body.password);
      if (token === null) throw new HttpError(401, 'Bad credentials');
      sendJson(res, 200, { access_token: token, expires_in: app.options.tokenTtl, token_type: 'bearer' });
    },
  },
];
