// Lets the functions served for the simulator read the simulator's virtual clock, so business hours
// can be tested over a simulated day. Each webhook the simulator sends carries the virtual time in a
// header (SIM_TIME_HEADER); from then on `Date.now()` and `new Date()` in this process answer with it.
// The simulator stops virtual time while any webhook is in flight, so every request being served shares
// one instant. Production code reads the time as it always would (Date.now()); only this preload differs.
// As a preload: NODE_OPTIONS="--require ./sim/virtual-time.cjs" PULL_PHONE_SIMULATED_TIME=1
'use strict';

const http = require('node:http');

const SIM_TIME_HEADER = 'x-simulated-time';
const RealDate = Date;
/** Epoch milliseconds of the latest webhook; undefined until one carries the header. */
let virtualNow;

function followSimulatedTime() {
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function emitWithTime(event, request, ...rest) {
    if (event === 'request') {
      const value = Number(request.headers[SIM_TIME_HEADER]);
      if (Number.isFinite(value) && value > 0) virtualNow = value;
    }
    return emit.call(this, event, request, ...rest);
  };

  class SimulatedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0 && virtualNow !== undefined) super(virtualNow);
      else super(...args);
    }

    static now() {
      return virtualNow ?? RealDate.now();
    }
  }
  globalThis.Date = SimulatedDate;
}

module.exports = { SIM_TIME_HEADER, followSimulatedTime };

if (process.env.PULL_PHONE_SIMULATED_TIME === '1') followSimulatedTime();
