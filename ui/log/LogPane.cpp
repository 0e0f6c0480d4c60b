#include "log/LogPane.h"

#include "log/LogSink.h"

#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QVBoxLayout>

#include <algorithm>

namespace poisonlab::ui {

LogPane::LogPane(QWidget *parent, int capacity)
    : QWidget(parent), m_model(new LogModel(this, capacity)), m_sink(new LogSink(this, capacity)),
      m_level(new QComboBox(this)), m_copy(new QPushButton(tr("Copy"), this)),
      m_clear(new QPushButton(tr("Clear"), this)), m_view(new QListView(this))
{
    for (const char *name : {"Trace", "Debug", "Info", "Warning", "Error"})
        m_level->addItem(tr(name));
    m_level->setCurrentIndex(0);
    m_level->setObjectName(QStringLiteral("logLevel"));
    m_copy->setObjectName(QStringLiteral("logCopy"));
    m_copy->setToolTip(tr("Copy the selected lines, or every visible line when none is selected"));
    m_clear->setObjectName(QStringLiteral("logClear"));

    m_view->setModel(m_model);
    m_view->setUniformItemSizes(true);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_view->setObjectName(QStringLiteral("logView"));
    auto *copyAction = new QAction(tr("Copy"), m_view);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    m_view->addAction(copyAction);

    auto *bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Level:"), this));
    bar->addWidget(m_level);
    bar->addStretch(1);
    bar->addWidget(m_copy);
    bar->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(m_level, &QComboBox::currentIndexChanged, m_model, &LogModel::setMinimumLevel);
    connect(m_copy, &QPushButton::clicked, this, &LogPane::copy);
    connect(copyAction, &QAction::triggered, this, &LogPane::copy);
    connect(m_clear, &QPushButton::clicked, this, &LogPane::clear);
    connect(m_sink, &LogSink::entriesArrived, this, &LogPane::addEntries);
}

void LogPane::setMinimumLevel(int level)
{
    m_level->setCurrentIndex(std::clamp(level, 0, m_level->count() - 1));
}

void LogPane::copy()
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedIndexes())
        rows.push_back(index.row());
    QGuiApplication::clipboard()->setText(m_model->text(rows));
}

void LogPane::clear()
{
    m_model->clear();
}

void LogPane::addEntries(const std::vector<LogEntry> &entries)
{
    const QScrollBar *scroll = m_view->verticalScrollBar();
    const bool atBottom = scroll->value() >= scroll->maximum();
    m_model->append(entries);
    if (atBottom)
        m_view->scrollToBottom();
}

} // namespace poisonlab::ui
