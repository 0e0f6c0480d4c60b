#pragma once

#if defined(__SANITIZE_THREAD__)
#define POISONLAB_HAND_OFF_FOR_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define POISONLAB_HAND_OFF_FOR_TSAN 1
#endif
#endif

#ifdef POISONLAB_HAND_OFF_FOR_TSAN
#include <mutex>
#endif

namespace poisonlab::ui {

/// Shows ThreadSanitizer the order of a hand-off between threads that goes through Qt: a queued
/// call or signal (QMetaObject::invokeMethod, a queued connection) or a QThreadPool task. Qt
/// orders the post before the delivery with its own QMutex, a futex inside libQt6Core that TSan
/// (which only sees instrumented code and pthread calls) cannot see, so it would report every
/// captured value and signal argument as a race. The poster posts inside post(); the receiver
/// calls received() before it reads anything posted: HandOffApplication does so before every
/// event it delivers (queued calls and signals are events), a pool task first thing in run().
///
/// In a TSan build the post runs under one lock for the program and received() takes it: what
/// Qt's mutex orders (everything before a post happens before everything after its delivery) plus
/// the rest of the post call, which matters because Qt may free the posted call's slot object in
/// either thread (its reference count, also invisible to TSan). Recursive, because a post may
/// deliver an event on its own thread. Outside a TSan build both are nothing at all: Qt's own
/// ordering is all the program needs.
class HandOff {
public:
    template <typename Post>
    static void post(Post &&postIt)
    {
#ifdef POISONLAB_HAND_OFF_FOR_TSAN
        std::lock_guard lock(mutex());
#endif
        postIt();
    }
    static void received()
    {
#ifdef POISONLAB_HAND_OFF_FOR_TSAN
        std::lock_guard lock(mutex());
#endif
    }

private:
#ifdef POISONLAB_HAND_OFF_FOR_TSAN
    static std::recursive_mutex &mutex()
    {
        static std::recursive_mutex m;
        return m;
    }
#endif
};

} // namespace poisonlab::ui
