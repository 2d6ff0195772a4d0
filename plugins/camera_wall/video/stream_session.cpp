// stream_session.cpp: open, probe, decode; every blocking FFmpeg call runs under a deadline.
#include "stream_session.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <limits>
#include <memory>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include "frame_normaliser.hpp"
#include "hardware_decoder.hpp"
#include "packet_arrivals.hpp"
#include "reader_core.hpp"
#include "stream_error.hpp"

namespace ccoc::video::detail {
namespace {

using Clock = std::chrono::steady_clock;

// How far the socket's own timeout trails the read deadline (see open()).
constexpr std::chrono::milliseconds kSocketTimeoutMargin{1000};

// FFmpeg polls this during every blocking call (about every 100 ms inside network waits).
struct Deadline {
  ReaderCore* core = nullptr;
  Clock::time_point until{};
  bool expired = false;

  void arm(std::chrono::milliseconds budget) {
    until = Clock::now() + budget;
    expired = false;
  }
};

int interruptCallback(void* opaque) {
  auto* deadline = static_cast<Deadline*>(opaque);
  if (deadline->core->interruptRequested()) {
    return 1;
  }
  if (Clock::now() >= deadline->until) {
    deadline->expired = true;
    return 1;
  }
  return 0;
}

struct FormatCloser {
  void operator()(AVFormatContext* context) const { avformat_close_input(&context); }
};
struct CodecFreer {
  void operator()(AVCodecContext* context) const { avcodec_free_context(&context); }
};
struct PacketFreer {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct FrameFreer {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};

// Seconds between laps, for StageTimes.
class StageClock {
 public:
  double lap() {
    const Clock::time_point now = Clock::now();
    const double seconds = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    return seconds;
  }

 private:
  Clock::time_point last_ = Clock::now();
};

bool isNetworkUrl(const std::string& url) { return url.find("://") != std::string::npos &&
                                                   url.rfind("file:", 0) != 0; }

class Session {
 public:
  explicit Session(ReaderCore& core) : core_(core), options_(core.options()) {
    deadline_.core = &core;
  }

  SessionEnd run() {
    SessionEnd end = open();
    if (end.reason != OfflineReason::None) {
      return finish(std::move(end));
    }
    return finish(decodeLoop());
  }

 private:
  SessionEnd finish(SessionEnd end) {
    end.interrupted = core_.interruptRequested();
    end.wentLive = wentLive_;
    return end;
  }

  SessionEnd failure(int code, const char* what, std::chrono::milliseconds budget) {
    const ClassifiedError error =
        classifyFfmpegError(code, what, deadline_.expired, budget.count());
    return {error.reason, error.message};
  }

  SessionEnd open() {
    const std::string& url = core_.connectUrl();
    if (auto badScheme = checkUrlScheme(url)) {
      return {badScheme->reason, "open: " + badScheme->message};
    }
    AVFormatContext* raw = avformat_alloc_context();
    raw->interrupt_callback.callback = interruptCallback;
    raw->interrupt_callback.opaque = &deadline_;
    AVDictionary* dictionary = nullptr;
    if (url.rfind("rtsp://", 0) == 0 || url.rfind("rtsps://", 0) == 0) {
      av_dict_set(&dictionary, "rtsp_transport", "tcp", 0);
    }
    if (isNetworkUrl(url)) {
      // FFmpeg 5.1: socket I/O timeout in microseconds (the old "stimeout" is gone). It is only
      // the backstop, a second behind our own deadline: when the socket times out first, FFmpeg
      // hands out the frame its parser held as if it had just arrived, and we could not tell.
      const auto socketTimeout = options_.readTimeout + kSocketTimeoutMargin;
      av_dict_set_int(&dictionary, "timeout",
                      std::chrono::microseconds(socketTimeout).count(), 0);
    }
    av_dict_set_int(&dictionary, "analyzeduration", 1'000'000, 0);
    deadline_.arm(options_.openTimeout);
    int rc = avformat_open_input(&raw, url.c_str(), nullptr, &dictionary);
    av_dict_free(&dictionary);
    if (rc < 0) {
      return failure(rc, "open", options_.openTimeout);  // FFmpeg freed `raw`
    }
    format_.reset(raw);
    rc = avformat_find_stream_info(format_.get(), nullptr);
    if (rc < 0) {
      return failure(rc, "probe", options_.openTimeout);
    }
    const AVCodec* decoder = nullptr;
    videoIndex_ = av_find_best_stream(format_.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0);
    if (videoIndex_ < 0) {
      return failure(videoIndex_, "open", options_.openTimeout);
    }
    return openDecoder(decoder);
  }

  SessionEnd openDecoder(const AVCodec* decoder) {
    const AVStream* stream = format_->streams[videoIndex_];
    codec_.reset(avcodec_alloc_context3(decoder));
    avcodec_parameters_to_context(codec_.get(), stream->codecpar);
    codec_->thread_count = options_.decoderThreads;
    codec_->pkt_timebase = stream->time_base;
    std::string decoderName = std::string(decoder->name) + " (software)";
    bool hardware = false;
    if (options_.hardware == HardwareDecoding::Auto && !core_.hardwareUnavailable) {
      std::string whyNot;
      std::string note;
      DeviceChoice choice;
      choice.ownDevice = options_.hardwareDevicePerStream;
      choice.ownCudaStream = options_.cudaStreamPerDecoder;
      if (hardwareDecoder_.attach(decoder, codec_.get(), choice, whyNot, note)) {
        if (!note.empty()) {
          core_.log(LogLevel::Info, note);
        }
        decoderName = std::string(decoder->name) + " (" + hardwareDecoder_.deviceName() + ")";
        hardware = true;
        if (options_.pinnedDownload) {
          normaliser_.usePinnedDownload();
        }
        if (options_.hardwareFramesInFlight > 1) {
          // FFmpeg's frame threads keep several frames on the GPU at once; the hardware
          // decoders support it (and FFmpeg's own tool decodes that way by default).
          codec_->thread_count = options_.hardwareFramesInFlight;
          codec_->thread_type = FF_THREAD_FRAME;
          decoderName += ", " + std::to_string(options_.hardwareFramesInFlight) + " in flight";
        }
      } else {
        core_.hardwareUnavailable = true;
        core_.log(LogLevel::Info, "hardware decoding unavailable (" + whyNot +
                                      "); decoding in software");
      }
    }
    const int rc = avcodec_open2(codec_.get(), decoder, nullptr);
    if (rc < 0) {
      return {OfflineReason::UnsupportedCodec,
              std::string("cannot open decoder ") + decoder->name + ": " + ffmpegErrorText(rc)};
    }
    codecName_ = avcodec_get_name(stream->codecpar->codec_id);
    decoderName_ = decoderName;
    hardware_ = hardware;
    timeBase_ = av_q2d(stream->time_base);
    return {OfflineReason::None, {}};
  }

  SessionEnd decodeLoop() {
    std::unique_ptr<AVPacket, PacketFreer> packet(av_packet_alloc());
    std::unique_ptr<AVFrame, FrameFreer> frame(av_frame_alloc());
    const bool pace = !isNetworkUrl(core_.connectUrl());
    while (!core_.interruptRequested()) {
      deadline_.arm(options_.readTimeout);
      StageClock clock;
      int rc = av_read_frame(format_.get(), packet.get());
      const Clock::time_point arrival = Clock::now();
      spent_.readSeconds += clock.lap();
      if (deadline_.expired) {
        // Nothing came from the network within the deadline. FFmpeg may still hand out what it
        // held (its parser flushes the last frame when a read is cut short): that is old data,
        // and showing it as a new picture would make a silent camera pass for live.
        av_packet_unref(packet.get());
        return failure(AVERROR(ETIMEDOUT), wentLive_ ? "read" : "first read", options_.readTimeout);
      }
      if (rc < 0) {
        if (rc == AVERROR_EOF && pace && options_.loopFiles && wentLive_) {
          // Start the clip over in place: reopening would make a new decoder (and, with hardware
          // decoding, a new GPU decoder, which stalls every other stream's while it is made).
          if (rewind()) {
            continue;
          }
          SessionEnd end{OfflineReason::Ended, "end of file"};
          end.restartNow = true;
          return end;
        }
        return failure(rc, wentLive_ ? "read" : "first read", options_.readTimeout);
      }
      core_.addBytes(static_cast<std::uint64_t>(packet->size));
      if (packet->stream_index != videoIndex_) {
        av_packet_unref(packet.get());
        continue;
      }
      arrivals_.add(packet->pts, arrival);
      rc = avcodec_send_packet(codec_.get(), packet.get());
      av_packet_unref(packet.get());
      spent_.decodeSeconds += clock.lap();
      if (rc < 0 && rc != AVERROR(EAGAIN)) {
        // A damaged packet spoils a frame or two, not the stream: keep going.
        continue;
      }
      while ((rc = avcodec_receive_frame(codec_.get(), frame.get())) == 0) {
        spent_.decodeSeconds += clock.lap();
        SessionEnd end = deliver(frame.get(), pace);
        av_frame_unref(frame.get());
        if (end.reason != OfflineReason::None) {
          return end;
        }
        clock.lap();  // deliver() counted its own time
      }
      spent_.decodeSeconds += clock.lap();
    }
    return {OfflineReason::None, {}};
  }

  // Seeks a looping file back to its first frame and resets the decoder; false if it cannot.
  bool rewind() {
    const AVStream* stream = format_->streams[videoIndex_];
    const std::int64_t start = stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0;
    if (av_seek_frame(format_.get(), videoIndex_, start, AVSEEK_FLAG_BACKWARD) < 0) {
      return false;
    }
    avcodec_flush_buffers(codec_.get());
    arrivals_.clear();
    // The first frame of the next round is due one frame after the last of this one.
    const AVRational rate = stream->avg_frame_rate;
    const double period = rate.num > 0 && rate.den > 0 ? av_q2d(av_inv_q(rate)) : 0.04;
    loopResume_ = lastDue_ + std::chrono::duration_cast<Clock::duration>(
                                 std::chrono::duration<double>(period));
    paceStarted_ = false;
    return true;
  }

  SessionEnd deliver(AVFrame* decoded, bool pace) {
    FrameInfo info;
    std::string error;
    const bool keepOnGpu = hardware_ && !options_.downloadHardwareFrames &&
                           decoded->hw_frames_ctx != nullptr;
    AVFrame* ready = nullptr;
    StageClock clock;
    if (keepOnGpu) {
      info.width = decoded->width;
      info.height = decoded->height;
    } else {
      ready = normaliser_.normalise(decoded, info, error);
    }
    spent_.convertSeconds += clock.lap();
    if (ready == nullptr && !keepOnGpu) {
      if (hardware_) {
        core_.hardwareUnavailable = true;  // next session decodes in software
      }
      return {OfflineReason::UnsupportedCodec, error};
    }
    const std::int64_t pts = decoded->best_effort_timestamp;
    info.ptsSeconds = pts == AV_NOPTS_VALUE ? std::numeric_limits<double>::quiet_NaN()
                                            : static_cast<double>(pts) * timeBase_;
    info.codecName = codecName_;
    info.sequence = core_.nextSequence();
    // The picture is as old as the packet that carried it, however long the decoder kept it.
    info.arrival = arrivals_.arrivalOf(decoded->pts != AV_NOPTS_VALUE ? decoded->pts : pts,
                                       AV_NOPTS_VALUE);
    if (!pinnedReported_ && !normaliser_.pinnedWhyNot().empty()) {
      pinnedReported_ = true;  // once: at the first frame, or when page-locked memory ran out
      core_.log(LogLevel::Info, "frames come down through ordinary memory: " + normaliser_.pinnedWhyNot());
    }
    if (!wentLive_) {
      wentLive_ = true;
      if (normaliser_.pinnedDownload()) {
        decoderName_ += ", pinned copies";
      }
      core_.markLive(codecName_, decoderName_, hardware_, info.width, info.height);
    }
    if (pace && !std::isnan(info.ptsSeconds)) {
      // Files play at their own pace, not as fast as the CPU can decode them.
      if (!paceStarted_) {
        paceStarted_ = true;
        paceOrigin_ = std::max(info.arrival, loopResume_);
        paceFirstPts_ = info.ptsSeconds;
      }
      const auto due = paceOrigin_ + std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(info.ptsSeconds -
                                                                       paceFirstPts_));
      lastDue_ = due;
      core_.sleepUntil(due);
      spent_.pacingSeconds += clock.lap();
      info.arrival = std::max(info.arrival, due);  // a file's frame is new when it is due
    }
    const Clock::time_point arrival = info.arrival;
    core_.publishFrame(keepOnGpu ? nullptr
                                 : std::make_shared<const VideoFrame>(ready, std::move(info)),
                       spent_, arrival);
    spent_ = {};
    return {OfflineReason::None, {}};
  }

  ReaderCore& core_;
  const StreamOptions& options_;
  Deadline deadline_;
  // Declaration order matters: the codec context refers to hardwareDecoder_ through `opaque`.
  HardwareDecoder hardwareDecoder_;
  std::unique_ptr<AVFormatContext, FormatCloser> format_;
  std::unique_ptr<AVCodecContext, CodecFreer> codec_;
  FrameNormaliser normaliser_;
  PacketArrivals arrivals_;
  int videoIndex_ = -1;
  double timeBase_ = 0.0;
  std::string codecName_;
  std::string decoderName_;
  bool hardware_ = false;
  bool wentLive_ = false;
  bool pinnedReported_ = false;
  bool paceStarted_ = false;
  Clock::time_point paceOrigin_{};
  double paceFirstPts_ = 0.0;
  StageTimes spent_;                // since the last published frame
  Clock::time_point lastDue_{};     // when the newest paced frame was due
  Clock::time_point loopResume_{};  // after a rewind: when the clip's first frame is due
};

}  // namespace

SessionEnd runStreamSession(ReaderCore& core) {
  Session session(core);
  return session.run();
}

}  // namespace ccoc::video::detail
