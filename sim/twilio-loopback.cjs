// Sends every request of the `twilio` package to a local stand-in instead of Twilio.
// It patches the client's own injection point (RequestClient.request) from outside the
// function code, so the code under test is exactly the production code.
// As a preload: NODE_OPTIONS="--require ./sim/twilio-loopback.cjs" PULL_PHONE_TWILIO_URL=http://127.0.0.1:PORT
'use strict';

const path = require('node:path');

function routeTwilioTo(baseUrl) {
  const RequestClient = require(require.resolve('twilio/lib/base/RequestClient', { paths: [path.join(__dirname, '..')] }));
  const Client = RequestClient.default ?? RequestClient;
  const proto = Client.prototype;
  if (!proto.__pullPhoneOriginalRequest) proto.__pullPhoneOriginalRequest = proto.request;
  const original = proto.__pullPhoneOriginalRequest;
  proto.request = function request(opts) {
    const target = new URL(opts.uri);
    // The Twilio host becomes the first path segment, so one server can stand in for every domain.
    const uri = `${baseUrl.replace(/\/$/, '')}/${target.hostname}${target.pathname}${target.search}`;
    return original.call(this, { ...opts, uri });
  };
}

module.exports = { routeTwilioTo };

if (process.env.PULL_PHONE_TWILIO_URL) routeTwilioTo(process.env.PULL_PHONE_TWILIO_URL);
