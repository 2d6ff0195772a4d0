// layout_store.cpp: named wall layouts in a JSON file under the user's config directory.
#include "layout_store.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace ccoc::wall {

namespace fs = std::filesystem;

namespace {

std::string configDir()
{
    if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg != nullptr && *xdg != '\0') {
        return std::string(xdg) + "/ccoc/wall-layouts";
    }
    const char* home = std::getenv("HOME");
    return std::string(home != nullptr ? home : ".") + "/.config/ccoc/wall-layouts";
}

std::string writeFile(const std::string& path, const std::string& text)
{
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::trunc);
        out << text;
        if (!out) {
            return "cannot write " + temporary;
        }
    }
    fs::rename(temporary, path, ec);
    return ec ? "cannot replace " + path + ": " + ec.message() : std::string();
}

}  // namespace

LayoutStore::LayoutStore(const std::string& panelId) : path_(configDir() + "/" + panelId + ".json")
{
    std::ifstream in(path_);
    if (!in) {
        return;
    }
    try {
        const auto json = nlohmann::json::parse(in);
        for (const auto& [name, value] : json.at("layouts").items()) {
            SavedLayout layout;
            layout.layout = value.at("layout").get<std::string>();
            layout.tiles = value.at("tiles").get<std::vector<std::string>>();
            layouts_[name] = std::move(layout);
        }
    } catch (const std::exception& e) {
        problem_ = path_ + ": not a saved-layouts file (" + e.what() +
                   "); expected {\"layouts\": {NAME: {\"layout\": \"2x2\", \"tiles\": [...]}}}";
    }
}

LayoutStore::~LayoutStore()
{
    if (pendingWrite_.valid()) {
        pendingWrite_.wait();
    }
}

void LayoutStore::save(const std::string& name, SavedLayout layout)
{
    layouts_[name] = std::move(layout);
    nlohmann::json json;
    json["layouts"] = nlohmann::json::object();
    for (const auto& [key, value] : layouts_) {
        json["layouts"][key] = {{"layout", value.layout}, {"tiles", value.tiles}};
    }
    if (pendingWrite_.valid()) {
        pendingWrite_.wait();  // the previous small write; keeps the file's writes in order
        problem_ = pendingWrite_.get();
    }
    pendingWrite_ = std::async(std::launch::async, [path = path_, text = json.dump(2)] { return writeFile(path, text); });
}

std::string LayoutStore::problem()
{
    if (pendingWrite_.valid() &&
        pendingWrite_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
        problem_ = pendingWrite_.get();
    }
    return problem_;
}

}  // namespace ccoc::wall
