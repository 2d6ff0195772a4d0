#!/usr/bin/python3
"""A CCOC bus driver in Python, written from sdk/docs/bus-protocol.md (revision 2) alone.

It simulates vehicle gates (a barrier arm and a loop detector) at a police station's car park:
  * announces its devices with hello/1 and republishes its full state after every welcome/1 and
    every resync/1 (protocol sections 6 and 9);
  * publishes state/1 (retained), event/1 and telemetry/1;
  * answers command/1 with exactly one reply/1: barrier.open, barrier.close (section 7), never
    acting on a command past its deadline_us, judged by the broker's clock (section 7.2);
  * sends heartbeat/1 when it has been quiet, and says hello again when the broker restarts,
    with one hello outstanding at a time (section 9).

Needs only Debian's python3-zmq:  apt-get install python3-zmq
Run:  /usr/bin/python3 gate_driver.py --id gate-driver --device gate-1 --device gate-2
Endpoints: --frontend/--publisher, else $CCOC_BUS_FRONTEND/$CCOC_BUS_PUBLISHER (set by ccoc-host
for a [[driver]] with `command = [...]`), else tcp://127.0.0.1:5570 and :5571.
"""

import argparse
import collections
import json
import os
import secrets
import signal
import sys
import time

import zmq

PROTOCOL_VERSION = 1
HELLO_RETRY_S = 2.0          # an unanswered hello is resent after this long (sections 9, 12)
CLOCK_WINDOW_S = 60.0        # broker timestamps older than this are forgotten (section 7.2)
SKEW_MARGIN_US = 25000       # a command counts as expired this long before its deadline


def now_us():
    return int(time.time() * 1_000_000)


class BrokerClock:
    """The broker's clock from its own timestamps (section 7.2): our clock minus a broker
    timestamp is the offset plus a delay that is never negative; the smallest over the window
    is the estimate."""

    def __init__(self):
        self.samples = collections.deque()  # (monotonic time, offset), offsets increasing

    def observe(self, broker_us):
        if not isinstance(broker_us, int) or broker_us <= 0:
            return
        offset = now_us() - broker_us
        while self.samples and self.samples[-1][1] >= offset:
            self.samples.pop()
        self.samples.append((time.monotonic(), offset))
        while len(self.samples) > 1 and time.monotonic() - self.samples[0][0] > CLOCK_WINDOW_S:
            self.samples.popleft()

    def reset(self):
        self.samples.clear()

    def expired(self, deadline_us):
        broker_now = now_us() - (self.samples[0][1] if self.samples else 0)
        return broker_now + SKEW_MARGIN_US >= deadline_us


class BusPeer:
    """One DEALER to the broker's frontend: the envelope, sequence numbers and the hello."""

    def __init__(self, frontend, source, devices, heartbeat_ms=1000):
        self.source = source
        self.devices = devices
        self.heartbeat_ms = heartbeat_ms
        self.session = secrets.token_hex(8)  # new at every start (section 3)
        self.seq = 0
        self.epoch = None
        self.welcomed = False
        self.hello_ids = []      # hellos sent since the last welcome
        self.last_hello = 0.0
        self.clock = BrokerClock()
        self.last_sent = 0.0
        self.context = zmq.Context.instance()
        self.dealer = self.context.socket(zmq.DEALER)
        self.dealer.setsockopt(zmq.LINGER, 200)
        self.dealer.setsockopt(zmq.SNDHWM, 10000)
        self.dealer.connect(frontend)

    def send(self, topic, msg_type, payload, **extra):
        """Sends one message: frames topic, envelope, payload (section 2)."""
        self.seq += 1
        envelope = {
            "v": PROTOCOL_VERSION,
            "id": f"{self.session}:{self.seq}",
            "type": msg_type,
            "src": self.source,
            "session": self.session,
            "seq": self.seq,
            "sent_us": now_us(),
        }
        envelope.update(extra)
        self.dealer.send_multipart([
            topic.encode("ascii"),
            json.dumps(envelope, separators=(",", ":")).encode("utf-8"),
            json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8"),
        ])
        self.last_sent = time.monotonic()
        return envelope["id"]

    def hello(self):
        self.hello_ids.append(self.send("bus/hello/", "hello/1",
                                        {"role": "driver", "devices": self.devices,
                                         "heartbeat_ms": self.heartbeat_ms}))
        del self.hello_ids[:-16]
        self.last_hello = time.monotonic()

    def hello_needed(self):
        """The broker forgot us or restarted. One hello outstanding at a time (section 9): while
        one waits for its welcome, further notices change nothing; the retry timer resends it."""
        if self.welcomed:
            self.welcomed = False
            self.hello()

    def accept_welcome(self, envelope, payload):
        """True for the welcome to one of our outstanding hellos; a second one is ignored."""
        if envelope.get("corr") not in self.hello_ids:
            return False
        self.hello_ids.clear()
        epoch = payload.get("epoch") if isinstance(payload, dict) else None
        if epoch != self.epoch:
            self.clock.reset()  # another broker, perhaps on another machine
        self.clock.observe(envelope.get("sent_us"))
        self.epoch = epoch
        self.welcomed = True
        return True

    def receive(self, timeout_ms):
        """Returns (topic, envelope, payload) or None; malformed messages are dropped."""
        if not self.dealer.poll(timeout_ms):
            return None
        frames = self.dealer.recv_multipart()
        if len(frames) < 3:
            return None
        try:
            topic = frames[0].decode("ascii")
            envelope = json.loads(frames[1].decode("utf-8"))
            payload = json.loads(frames[2].decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return None
        if not isinstance(envelope, dict):
            return None
        if envelope.get("src") == "_bus":
            self.clock.observe(envelope.get("sent_us"))  # the broker's own clock
        return topic, envelope, payload


class GateDriver:
    """The devices: each gate has a barrier (open/closed) and a loop detector (vehicle present)."""

    def __init__(self, peer):
        self.peer = peer
        self.barriers = {device: False for device in peer.devices}
        self.vehicles = {device: 0 for device in peer.devices}
        self.next_vehicle = time.monotonic() + 2.0

    def publish_state(self, device):
        self.peer.send(f"state/{device}/barrier/", "state/1", {"open": self.barriers[device]},
                       acquired_us=now_us())

    def publish_all(self):
        for device in self.peer.devices:
            self.peer.send(f"state/{device}/info/", "state/1",
                           {"kind": "gate", "language": "python", "vendor": "example"})
            self.publish_state(device)
        print(f"gate driver {self.peer.source}: published the state of "
              f"{len(self.peer.devices)} devices (session {self.peer.session})", flush=True)

    def on_command(self, topic, envelope, payload):
        parts = topic.split("/")  # cmd/DEVICE/ACTION/
        device, action = (parts[1], parts[2]) if len(parts) >= 4 else ("", "")
        command_id = envelope.get("id", "")
        ttl_ms = envelope.get("ttl_ms", 0)
        deadline_us = envelope.get("deadline_us")
        self.peer.clock.observe(envelope.get("received_us"))  # stamped by the broker

        def reply(status, message="", result=None):
            self.peer.send(f"reply/{device}/{action}/", "reply/1",
                           {"status": status, "message": message, "result": result}, corr=command_id)

        if not isinstance(ttl_ms, int) or ttl_ms <= 0:
            reply("rejected", "command without ttl_ms")
            return
        # The broker answered `timeout` at deadline_us: never act after it (section 7.3).
        if isinstance(deadline_us, int) and self.peer.clock.expired(deadline_us):
            reply("timeout", "deadline passed before the driver received the command")
            return
        if device not in self.barriers:
            reply("rejected", f"unknown device '{device}'")
            return
        if action not in ("barrier.open", "barrier.close"):
            reply("rejected", f"unknown action '{action}'; expected barrier.open or barrier.close")
            return
        self.barriers[device] = action == "barrier.open"
        self.publish_state(device)
        self.peer.send(f"event/{device}/barrier/", "event/1",
                       {"change": "opened" if self.barriers[device] else "closed",
                        "by": envelope.get("src", "")})
        reply("ok", "", {"open": self.barriers[device]})

    def tick(self):
        """Now and then a vehicle drives over a loop detector: telemetry and an event."""
        if time.monotonic() < self.next_vehicle:
            return
        self.next_vehicle = time.monotonic() + 3.0
        for device in self.peer.devices:
            self.vehicles[device] += 1
            self.peer.send(f"telemetry/{device}/vehicles/", "telemetry/1", {"count": self.vehicles[device]})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--id", default=os.environ.get("CCOC_DRIVER_ID", "gate-driver"))
    parser.add_argument("--device", action="append", default=None)
    parser.add_argument("--frontend", default=os.environ.get("CCOC_BUS_FRONTEND", "tcp://127.0.0.1:5570"))
    parser.add_argument("--publisher", default=os.environ.get("CCOC_BUS_PUBLISHER", "tcp://127.0.0.1:5571"))
    args = parser.parse_args()
    devices = args.device or ["gate-1"]

    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))

    peer = BusPeer(args.frontend, args.id, devices)
    driver = GateDriver(peer)
    peer.hello()
    while not stopping:
        message = peer.receive(100)
        if message is not None:
            topic, envelope, payload = message
            epoch = payload.get("epoch") if isinstance(payload, dict) else None
            if topic == "bus/welcome/":
                if peer.accept_welcome(envelope, payload):
                    driver.publish_all()  # full state after every welcome (section 9)
            elif topic == "bus/resync/":
                driver.publish_all()
            elif topic == "bus/notice/" and isinstance(payload, dict) and payload.get("code") == "hello-required":
                peer.hello_needed()
            elif topic == "bus/heartbeat/" and epoch and peer.epoch and epoch != peer.epoch:
                peer.hello_needed()  # the broker restarted
            elif topic.startswith("cmd/"):
                driver.on_command(topic, envelope, payload if isinstance(payload, dict) else {})
        if not peer.welcomed and time.monotonic() - peer.last_hello > HELLO_RETRY_S:
            peer.hello()  # unanswered: the broker may come up after us
        if peer.welcomed:
            driver.tick()
        if time.monotonic() - peer.last_sent > peer.heartbeat_ms / 1000.0:
            peer.send("bus/heartbeat/", "heartbeat/1", {})
    print(f"gate driver {peer.source}: stopping", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
