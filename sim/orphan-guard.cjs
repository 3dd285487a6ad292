// Ends a simulator's functions server when the process that started it is gone. The starter stops its server
// on a normal exit, but a jest worker killed by a signal runs no exit handler, and the server (in its own
// process group, so it can be stopped as a whole) would keep running. Orphaned, it is re-parented: ppid changes.
// As a preload: NODE_OPTIONS="--require ./sim/orphan-guard.cjs"
'use strict';

const starter = process.ppid;
setInterval(() => {
  if (process.ppid !== starter) process.exit(0);
}, 1000).unref();
