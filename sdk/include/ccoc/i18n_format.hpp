// Dates, times, numbers and durations in the interface language: the one place of the SDK where
// they are formatted (header-only). Thai dates count years in the Buddhist era (Gregorian + 543);
// the words of durations come from the SDK's catalogue (text domain "ccoc-sdk", bound by the host).
//
//     date("th", t)       "08/12/2569"         date("en", t)       "08/12/2026"
//     dateTime("th", t)   "08/12/2569 14:05"   timeOfDay(t)        "14:05:09"
//     duration(65)        "1 min" / "1 นาที"    duration(3780)      "1 h 3 min" / "1 ชม. 3 นาที"
//     number(1234567)     "1,234,567"          number(12.345, 1)   "12.3"
//
// Every function is [any-thread] (localtime_r and gettext are thread-safe); the Locale class asks
// the host for the language and is [main-thread].
#pragma once

#include <cmath>
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

#include "ccoc/i18n.hpp"

namespace ccoc::i18n {

/// The year as the interface counts it: the Buddhist era in Thai, the Gregorian year otherwise.
inline int displayYear(std::string_view language, int gregorianYear) noexcept
{
    return language == "th" ? gregorianYear + 543 : gregorianYear;
}

/// The local calendar time of `t`.
inline std::tm localTime(std::time_t t) noexcept
{
    std::tm local{};
    localtime_r(&t, &local);
    return local;
}

/// "08/12/2569" (Thai) or "08/12/2026": day/month/year in local time.
inline std::string date(std::string_view language, std::time_t t)
{
    const std::tm local = localTime(t);
    return format("%02d/%02d/%04d", local.tm_mday, local.tm_mon + 1, displayYear(language, local.tm_year + 1900));
}

/// "14:05:09": the local time of day, 24 hours, in every language.
inline std::string timeOfDay(std::time_t t)
{
    const std::tm local = localTime(t);
    return format("%02d:%02d:%02d", local.tm_hour, local.tm_min, local.tm_sec);
}

/// "08/12/2569 14:05": date and minute.
inline std::string dateTime(std::string_view language, std::time_t t)
{
    const std::tm local = localTime(t);
    return date(language, t) + format(" %02d:%02d", local.tm_hour, local.tm_min);
}

/// When something happened, as a list shows it: the time of day when it was today (local time of
/// `now`), the date and minute when it was earlier.
inline std::string moment(std::string_view language, std::time_t t, std::time_t now)
{
    const std::tm then = localTime(t);
    const std::tm today = localTime(now);
    if (then.tm_yday == today.tm_yday && then.tm_year == today.tm_year) {
        return timeOfDay(t);
    }
    return dateTime(language, t);
}

/// "1,234,567", "-42": an integer with its thousands grouped (Thai groups them the same way).
inline std::string number(long long value)
{
    const bool negative = value < 0;
    // Through unsigned so that the smallest long long has a magnitude too.
    unsigned long long magnitude = negative ? 0ULL - static_cast<unsigned long long>(value) : static_cast<unsigned long long>(value);
    std::string digits;
    int inGroup = 0;
    do {
        if (inGroup == 3) {
            digits.insert(digits.begin(), ',');
            inGroup = 0;
        }
        digits.insert(digits.begin(), static_cast<char>('0' + magnitude % 10));
        magnitude /= 10;
        ++inGroup;
    } while (magnitude != 0);
    return negative ? "-" + digits : digits;
}

/// "1,234.5": a number with `decimals` digits after the point (rounded), its integer part grouped.
inline std::string number(double value, int decimals)
{
    if (!std::isfinite(value)) {
        return "-";
    }
    decimals = decimals < 0 ? 0 : (decimals > 9 ? 9 : decimals);
    const std::string text = format("%.*f", decimals, std::fabs(value));
    const size_t point = text.find('.');
    const std::string whole = text.substr(0, point);
    std::string grouped = number(std::stoll(whole));
    if (point != std::string::npos) {
        grouped += text.substr(point);
    }
    const bool showsNegative = value < 0 && text.find_first_not_of("0.") != std::string::npos;
    return showsNegative ? "-" + grouped : grouped;
}

/// "5 s", "2 min", "1 h", "1 h 3 min" (Thai: "5 วินาที", "2 นาที", "1 ชม.", "1 ชม. 3 นาที"): a
/// span of time in its largest units, rounded to the second, cut to minutes from one minute on.
/// Negative spans read as 0 s.
inline std::string duration(double seconds)
{
    const long long total = seconds > 0.0 ? std::llround(seconds) : 0;
    const auto n = [](long long count) { return static_cast<unsigned long>(count); };
    if (total < 60) {
        return format(dngettext(kSdkTextDomain, "%lld s", "%lld s", n(total)), total);
    }
    if (total < 3600) {
        const long long minutes = total / 60;
        return format(dngettext(kSdkTextDomain, "%lld min", "%lld min", n(minutes)), minutes);
    }
    const long long hours = total / 3600;
    const long long minutes = (total % 3600) / 60;
    const std::string h = format(dngettext(kSdkTextDomain, "%lld h", "%lld h", n(hours)), hours);
    if (minutes == 0) {
        return h;
    }
    return h + " " + format(dngettext(kSdkTextDomain, "%lld min", "%lld min", n(minutes)), minutes);
}

/// A plugin's view of the interface language: each call asks the host for the language now, so a
/// switch at run time shows at the next frame. [main-thread]
class Locale {
public:
    explicit Locale(const ccoc_host* host) noexcept : host_(host) {}

    [[nodiscard]] std::string language() const { return languageOf(host_); }
    [[nodiscard]] std::string date(std::time_t t) const { return i18n::date(language(), t); }
    [[nodiscard]] std::string dateTime(std::time_t t) const { return i18n::dateTime(language(), t); }
    [[nodiscard]] std::string moment(std::time_t t, std::time_t now) const { return i18n::moment(language(), t, now); }
    [[nodiscard]] static std::string timeOfDay(std::time_t t) { return i18n::timeOfDay(t); }
    [[nodiscard]] static std::string duration(double seconds) { return i18n::duration(seconds); }
    /// The site file's name in the interface language (see siteText).
    [[nodiscard]] std::string siteText(const std::string& local, const std::string& english) const
    {
        return i18n::siteText(language(), local, english);
    }

private:
    const ccoc_host* host_;
};

/// [any-thread] A supervised process's state in the words of "ccoc.drivers/1" (starting, running,
/// backoff, crash-loop, stopped, failed) in the interface language, from the SDK's catalogue, so
/// the host and every panel say it alike; any other word is returned as it is (`state` itself).
inline const char* processStateText(const char* state) noexcept
{
    const std::string_view word = state != nullptr ? std::string_view(state) : std::string_view();
    // TRANSLATORS: the state of a driver's or service's process (status bar, bus and drivers panels).
    if (word == "starting") {
        return dgettext(kSdkTextDomain, "starting");
    }
    if (word == "running") {
        return dgettext(kSdkTextDomain, "running");
    }
    if (word == "backoff") {
        return dgettext(kSdkTextDomain, "backoff");
    }
    if (word == "crash-loop") {
        return dgettext(kSdkTextDomain, "crash-loop");
    }
    if (word == "stopped") {
        return dgettext(kSdkTextDomain, "stopped");
    }
    if (word == "failed") {
        return dgettext(kSdkTextDomain, "failed");
    }
    return state;
}

}  // namespace ccoc::i18n
