#!/usr/bin/env python3
"""The kernel's share of a TCP probe: a minimal blocking prober (connect, close with a reset) at 1,000
probes a second against bench/health/listeners.py's ports in /tmp/lp, for 10 s; prints its own CPU.
Start the listeners first: python3 bench/health/listeners.py 1000 /tmp/lp /tmp/lc --seconds 60 &"""
import socket, struct, time, os, sys
ports=[int(x) for x in open('/tmp/lp')]
lin=struct.pack('ii',1,0)
t0=time.time(); c0=os.times()
n=0; end=t0+10
while time.time()<end:
    for p in ports:
        s=socket.socket(); s.connect(('127.0.0.1',p)); s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, lin); s.close(); n+=1
    time.sleep(max(0, t0+ n/1000 - time.time()))
c1=os.times(); t1=time.time()
print(f"{n/(t1-t0):.0f}/s user={ (c1.user-c0.user)/(t1-t0)*100:.1f}% sys={(c1.system-c0.system)/(t1-t0)*100:.1f}%")
