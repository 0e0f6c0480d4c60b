#include "window/ScreenshotTaker.h"

#include "browser/ThumbnailCache.h"

#include <QApplication>
#include <QPainter>
#include <QPixmap>
#include <QWidget>

#include <cstdio>

namespace poisonlab::ui {

namespace {

/// The window as the user sees it: with the dialogs open over it (an error box, a question),
/// which grab() leaves out because each is a window of its own.
QPixmap windowWithDialogs(QWidget *window)
{
    QPixmap shot = window->grab();
    QPainter painter(&shot);
    for (QWidget *w : QApplication::topLevelWidgets()) {
        if (w == window || !w->isVisible())
            continue;
        QWidget *owner = w->parentWidget();
        while (owner && owner != window)
            owner = owner->parentWidget();
        if (owner)
            painter.drawPixmap(w->geometry().topLeft() - window->geometry().topLeft(), w->grab());
    }
    return shot;
}

} // namespace

ScreenshotTaker::ScreenshotTaker(QWidget *window, ThumbnailCache *thumbnails, QString path)
    : QObject(window), m_window(window), m_thumbnails(thumbnails), m_path(std::move(path))
{
    m_age.start();
    m_poll.setInterval(250);
    connect(&m_poll, &QTimer::timeout, this, &ScreenshotTaker::check);
}

void ScreenshotTaker::start()
{
    if (!m_poll.isActive())
        m_poll.start();
}

void ScreenshotTaker::check()
{
    ++m_checks;
    const bool quiet = !m_thumbnails || m_thumbnails->pendingCount() == 0;
    m_quietChecks = quiet ? m_quietChecks + 1 : 0;
    if ((m_quietChecks < 3 && m_checks < 240) || m_age.elapsed() < m_minimumDelayMs)
        return;
    m_poll.stop();
    const bool saved = m_window && windowWithDialogs(m_window).save(m_path, "PNG");
    if (saved)
        std::fprintf(stderr, "poisonlab: screenshot saved to %s\n", qPrintable(m_path));
    else
        std::fprintf(stderr, "poisonlab: cannot write the screenshot %s\n", qPrintable(m_path));
    QCoreApplication::exit(saved ? 0 : 1);
}

} // namespace poisonlab::ui
