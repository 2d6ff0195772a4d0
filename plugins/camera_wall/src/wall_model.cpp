// wall_model.cpp: layout, tiles, tours, selection and keyboard entry of one camera wall.
#include "wall_model.hpp"

#include "ccoc/i18n.hpp"

#include <algorithm>

namespace ccoc::wall {

WallModel::WallModel(std::vector<std::string> cameraIds) : cameraIds_(std::move(cameraIds))
{
    setLayout("1");
}

bool WallModel::setLayout(const std::string& name, std::string* error)
{
    auto layout = makeLayout(name, error);
    if (!layout) {
        return false;
    }
    layout_ = std::move(*layout);
    tiles_.resize(layout_.tiles.size());
    tours_.resize(layout_.tiles.size());
    marks_.resize(layout_.tiles.size());
    maximised_.reset();
    selected_ = std::min(selected_, tiles_.size() - 1);
    ++revision_;
    return true;
}

bool WallModel::knownCamera(const std::string& id) const
{
    return std::find(cameraIds_.begin(), cameraIds_.end(), id) != cameraIds_.end();
}

bool WallModel::setTile(size_t tile, const std::string& cameraId, std::string* error, std::optional<TileMark> mark)
{
    if (tile >= tiles_.size()) {
        if (error != nullptr) {
            *error = "tile " + std::to_string(tile + 1) + " does not exist; layout '" + layout_.name + "' has " +
                     std::to_string(tiles_.size()) + " tiles (1.." + std::to_string(tiles_.size()) + ")";
        }
        return false;
    }
    if (!cameraId.empty() && !knownCamera(cameraId)) {
        if (error != nullptr) {
            *error = "unknown camera '" + cameraId + "'; expected the id of a [[camera]] of the site";
        }
        return false;
    }
    if (mark || tiles_[tile] != cameraId) {
        marks_[tile] = std::move(mark);
    }
    tiles_[tile] = cameraId;
    tours_[tile].reset();
    ++revision_;
    return true;
}

const std::optional<TileMark>& WallModel::markAt(size_t tile) const
{
    static const std::optional<TileMark> none;
    return tile < marks_.size() ? marks_[tile] : none;
}

bool WallModel::clearAlarm(const std::string& alarmId)
{
    bool changed = false;
    for (auto& mark : marks_) {
        if (mark && mark->alarmId == alarmId) {
            mark.reset();
            changed = true;
        }
    }
    if (changed) {
        ++revision_;
    }
    return changed;
}

std::vector<std::string> WallModel::markedAlarms() const
{
    std::vector<std::string> ids;
    for (const auto& mark : marks_) {
        if (mark && std::find(ids.begin(), ids.end(), mark->alarmId) == ids.end()) {
            ids.push_back(mark->alarmId);
        }
    }
    return ids;
}

std::string WallModel::cameraAt(size_t tile) const
{
    return tile < tiles_.size() ? tiles_[tile] : std::string();
}

bool WallModel::startTour(size_t tile, std::vector<std::string> cameras, double dwellSec, double nowSec,
                          std::string* error)
{
    auto fail = [error](std::string why) {
        if (error != nullptr) {
            *error = std::move(why);
        }
        return false;
    };
    if (tile >= tiles_.size()) {
        return fail("tile " + std::to_string(tile + 1) + " does not exist (layout '" + layout_.name + "' has " +
                    std::to_string(tiles_.size()) + ")");
    }
    if (cameras.empty()) {
        return fail("a tour needs at least one camera");
    }
    for (const auto& id : cameras) {
        if (!knownCamera(id)) {
            return fail("tour names unknown camera '" + id + "'");
        }
    }
    if (dwellSec < 1.0) {
        return fail("a tour's dwell time must be at least 1 s");
    }
    if (tiles_[tile] != cameras.front()) {
        marks_[tile].reset();
    }
    tiles_[tile] = cameras.front();
    tours_[tile] = Tour{std::move(cameras), dwellSec, 0, nowSec + dwellSec};
    ++revision_;
    return true;
}

void WallModel::stopTour(size_t tile)
{
    if (tile < tours_.size() && tours_[tile]) {
        tours_[tile].reset();
        ++revision_;
    }
}

const std::optional<Tour>& WallModel::tourAt(size_t tile) const
{
    static const std::optional<Tour> none;
    return tile < tours_.size() ? tours_[tile] : none;
}

bool WallModel::advanceTours(double nowSec)
{
    bool changed = false;
    for (size_t i = 0; i < tours_.size(); ++i) {
        auto& tour = tours_[i];
        if (!tour || nowSec < tour->nextSwitchSec) {
            continue;
        }
        tour->position = (tour->position + 1) % tour->cameras.size();
        tour->nextSwitchSec = nowSec + tour->dwellSec;
        if (tiles_[i] != tour->cameras[tour->position]) {
            tiles_[i] = tour->cameras[tour->position];
            marks_[i].reset();  // the mark belongs to the camera the alarm pushed
            changed = true;
        }
    }
    if (changed) {
        ++revision_;
    }
    return changed;
}

void WallModel::toggleMaximised(size_t tile)
{
    if (maximised_ == tile) {
        maximised_.reset();
    } else if (tile < tiles_.size()) {
        maximised_ = tile;
    } else {
        return;
    }
    ++revision_;
}

void WallModel::select(size_t tile)
{
    if (tile < tiles_.size()) {
        selected_ = tile;
    }
}

void WallModel::typeDigit(int digit)
{
    if (digit >= 0 && digit <= 9 && entry_.size() < 4) {
        entry_.push_back(static_cast<char>('0' + digit));
    }
}

void WallModel::eraseDigit()
{
    if (!entry_.empty()) {
        entry_.pop_back();
    }
}

bool WallModel::commitEntry(std::string* error)
{
    const std::string typed = entry_;
    entry_.clear();
    const int number = typed.empty() ? 0 : std::stoi(typed);
    if (number < 1 || static_cast<size_t>(number) > cameraIds_.size()) {
        if (error != nullptr) {
            // Shown on the wall's toolbar to the operator who typed it: in the interface language.
            *error = i18n::format(tr("no camera number %s; cameras are 1..%zu"), typed.empty() ? tr("(none typed)") : typed.c_str(),
                                  cameraIds_.size());
        }
        return false;
    }
    return setTile(selected_, cameraIds_[static_cast<size_t>(number - 1)], error);
}

}  // namespace ccoc::wall
