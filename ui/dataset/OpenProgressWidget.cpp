#include "dataset/OpenProgressWidget.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>

namespace poisonlab::ui {

OpenProgressWidget::OpenProgressWidget(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_label = new QLabel(this);
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("openProgress"));
    m_bar->setFixedWidth(220);
    m_bar->setMaximumHeight(18);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelOpen"));
    m_cancel->setToolTip(tr("Stop opening this dataset"));
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_cancel->setEnabled(false);
        m_label->setText(tr("Cancelling…"));
        Q_EMIT cancelRequested();
    });
    hide();
}

void OpenProgressWidget::start(const QString &description)
{
    m_label->setText(tr("Opening %1…").arg(description));
    m_bar->setRange(0, 0);
    m_cancel->setEnabled(true);
    show();
}

void OpenProgressWidget::setProgress(const QString &stage, qint64 done, qint64 total, const QString &message)
{
    if (!m_cancel->isEnabled())
        return; // keep saying "Cancelling…"
    m_label->setText(message.isEmpty() ? stage : QStringLiteral("%1: %2").arg(stage, message));
    if (total > 0) {
        // QProgressBar is int-based: show per-mille for huge totals.
        m_bar->setRange(0, 1000);
        m_bar->setValue(static_cast<int>(std::min<qint64>(1000, done * 1000 / total)));
        m_bar->setFormat(QStringLiteral("%1 / %2").arg(done).arg(total));
    } else {
        m_bar->setRange(0, 0);
    }
}

void OpenProgressWidget::finish()
{
    hide();
}

} // namespace poisonlab::ui
