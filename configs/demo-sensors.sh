#!/usr/bin/env bash
# The demo zone's MQTT sensors, played with mosquitto_pub against the broker on 127.0.0.1:PORT:
# Zigbee2MQTT contact, occupancy and water sensors and a shop's ON/OFF panic button, as the
# mqtt driver of configs/demo.toml maps them. ./ccoc demo starts it; it runs until killed.
#   configs/demo-sensors.sh [PORT]
set -u
port="${1:-18830}"
# Retained, as a late subscriber (the driver starting after the sensors) gets the current state.
pub() { mosquitto_pub -h 127.0.0.1 -p "$port" -t "$1" -m "$2" -q 1 -r 2>/dev/null || true; }
z2m="zigbee2mqtt"

# Every sensor starts quiet, then the first alarms come at once so the desk shows them early.
pub "$z2m/saladaeng_goldshop_window" '{"contact":true,"battery":97,"linkquality":120}'
pub "$z2m/sarasin_building_pir" '{"occupancy":false,"battery":88}'
pub "$z2m/station_electrical_room_leak" '{"water_leak":false,"battery":100}'
pub "shops/ratchadamri-7eleven/panic" "OFF"
sleep 1
pub "$z2m/sarasin_building_pir" '{"occupancy":true,"battery":88}'
pub "$z2m/saladaeng_goldshop_window" '{"contact":false,"battery":97,"linkquality":118}'
pub "$z2m/station_electrical_room_leak" '{"water_leak":true,"battery":100}'

# Then one change every few seconds, round and round.
step=0
while true; do
  sleep 4
  case $((step % 8)) in
    0) pub "shops/ratchadamri-7eleven/panic" "ON" ;;
    1) pub "$z2m/sarasin_building_pir" '{"occupancy":false,"battery":88}' ;;
    2) pub "$z2m/saladaeng_goldshop_window" '{"contact":true,"battery":97,"linkquality":121}' ;;
    3) pub "shops/ratchadamri-7eleven/panic" "OFF" ;;
    4) pub "$z2m/sarasin_building_pir" '{"occupancy":true,"battery":87}' ;;
    5) pub "$z2m/station_electrical_room_leak" '{"water_leak":false,"battery":100}' ;;
    6) pub "$z2m/saladaeng_goldshop_window" '{"contact":false,"battery":97,"linkquality":119}' ;;
    7) pub "$z2m/station_electrical_room_leak" '{"water_leak":true,"battery":99}' ;;
  esac
  step=$((step + 1))
done
