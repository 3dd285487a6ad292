// Sends every request of the `twilio` package to a local stand-in instead of Twilio.
// It patches the client's own injection point (RequestClient.request) from outside the
// function code, so the code under test is exactly the production code.
// Recording media is fetched with plain fetch (the client decodes bodies as text), so requests to
// Twilio's hosts through the global fetch are sent to the stand-in the same way; nothing reaches the internet.
// As a preload: NODE_OPTIONS="--require ./sim/twilio-loopback.cjs" PULL_PHONE_TWILIO_URL=http://127.0.0.1:PORT
'use strict';

const path = require('node:path');

function loopbackUrl(baseUrl, uri) {
  const target = new URL(uri);
  // The Twilio host becomes the first path segment, so one server can stand in for every domain.
  return `${baseUrl.replace(/\/$/, '')}/${target.hostname}${target.pathname}${target.search}`;
}

function routeTwilioTo(baseUrl) {
  const RequestClient = require(require.resolve('twilio/lib/base/RequestClient', { paths: [path.join(__dirname, '..')] }));
  const Client = RequestClient.default ?? RequestClient;
  const proto = Client.prototype;
  if (!proto.__pullPhoneOriginalRequest) proto.__pullPhoneOriginalRequest = proto.request;
  const original = proto.__pullPhoneOriginalRequest;
  proto.request = function request(opts) {
    return original.call(this, { ...opts, uri: loopbackUrl(baseUrl, opts.uri) });
  };

  if (typeof globalThis.fetch === 'function') {
    if (!globalThis.__pullPhoneOriginalFetch) globalThis.__pullPhoneOriginalFetch = globalThis.fetch;
    const originalFetch = globalThis.__pullPhoneOriginalFetch;
    globalThis.fetch = function fetch(input, init) {
      const uri = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const host = new URL(uri).hostname;
      if (host === 'twilio.com' || host.endsWith('.twilio.com')) return originalFetch(loopbackUrl(baseUrl, uri), init);
      return originalFetch(input, init);
    };
  }
}

module.exports = { routeTwilioTo };

if (process.env.PULL_PHONE_TWILIO_URL) routeTwilioTo(process.env.PULL_PHONE_TWILIO_URL);
