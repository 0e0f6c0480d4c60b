#pragma once

#include <mutex>

namespace poisonlab::ui {

/// Shows ThreadSanitizer the order of a hand-off between threads that goes through Qt: a queued
/// call or signal (QMetaObject::invokeMethod, a queued connection) or a QThreadPool task. Qt
/// orders the post before the delivery with its own QMutex, a futex inside libQt6Core that TSan
/// (which only sees instrumented code and pthread calls) cannot see, so it would report every
/// captured value as a race. The poster posts inside post(); the receiver calls received()
/// before it reads anything posted (its own captures included). One lock for the program, held
/// only while posting: uncontended in practice, and nothing but a post runs under it.
class HandOff {
public:
    template <typename Post>
    static void post(Post &&postIt)
    {
        std::lock_guard lock(mutex());
        postIt();
    }
    static void received() { std::lock_guard lock(mutex()); }

private:
    static std::mutex &mutex()
    {
        static std::mutex m;
        return m;
    }
};

} // namespace poisonlab::ui
