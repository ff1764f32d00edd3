import * as assert from 'node:assert/strict';
import {
  checkApiBaseUrl,
  clampSetting,
  isLoopbackHost,
  isZoneId,
  zoneIdProblem,
} from '../../src/core/settings';

describe('settings checks', () => {
  it('accepts the default https API URL and drops a trailing slash', () => {
    assert.equal(
      checkApiBaseUrl('https://api.cloudflare.com/client/v4/'),
      'https://api.cloudflare.com/client/v4',
    );
  });

  it('accepts http only to loopback hosts', () => {
    assert.equal(
      checkApiBaseUrl('http://127.0.0.1:8787/client/v4'),
      'http://127.0.0.1:8787/client/v4',
    );
    assert.equal(checkApiBaseUrl('http://localhost:1/client/v4'), 'http://localhost:1/client/v4');
    assert.equal(checkApiBaseUrl('http://[::1]:9/client/v4'), 'http://[::1]:9/client/v4');
  });

  it('refuses http to any other host with a message that says why and what to do', () => {
    assert.throws(
      () => checkApiBaseUrl('http://api.example.com/client/v4'),
      /unencrypted\. Use https:\/\//,
    );
    assert.throws(() => checkApiBaseUrl('http://10.0.0.1/client/v4'), /unencrypted/);
    assert.throws(() => checkApiBaseUrl('http://127.0.0.1.nip.io/client/v4'), /unencrypted/);
  });

  it('refuses what is not an http(s) URL, and URLs carrying credentials', () => {
    assert.throws(() => checkApiBaseUrl('api.cloudflare.com'), /not a URL/);
    assert.throws(() => checkApiBaseUrl('file:///etc/passwd'), /https:\/\//);
    assert.throws(
      () => checkApiBaseUrl('https://user:secret@api.example.com'),
      /user name or password/,
    );
  });

  it('knows the loopback hosts', () => {
    assert.ok(isLoopbackHost('127.0.0.1'));
    assert.ok(isLoopbackHost('127.1.2.3'));
    assert.ok(isLoopbackHost('[::1]'));
    assert.ok(!isLoopbackHost('128.0.0.1'));
    assert.ok(!isLoopbackHost('localhost.example.com'));
  });

  it('accepts only 32 hexadecimal characters as a zone ID, so no path can be smuggled in', () => {
    assert.ok(isZoneId('023e105f4ecef8ad9ca31a8372d0c353'));
    assert.ok(isZoneId('023E105F4ECEF8AD9CA31A8372D0C353'));
    for (const bad of [
      '',
      '023e105f4ecef8ad9ca31a8372d0c35',
      '023e105f4ecef8ad9ca31a8372d0c3533',
      '../../user/tokens/verify00000000',
      '023e105f4ecef8ad9ca31a8372d0c35g',
      '023e105f4ecef8ad9ca31a8372d0c353/x',
    ]) {
      assert.ok(!isZoneId(bad), bad);
    }
    assert.match(zoneIdProblem('nope') ?? '', /32 hexadecimal characters/);
    assert.equal(zoneIdProblem(' 023e105f4ecef8ad9ca31a8372d0c353 '), undefined);
  });

  it('clamps number settings into their range', () => {
    assert.equal(clampSetting(250, 1, 100, 100), 100);
    assert.equal(clampSetting(0, 1, 4, 2), 1);
    assert.equal(clampSetting('3', 1, 4, 2), 2);
    assert.equal(clampSetting(2.6, 1, 4, 2), 3);
  });
});
