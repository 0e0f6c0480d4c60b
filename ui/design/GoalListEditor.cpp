#include "design/GoalListEditor.h"

#include "design/ClassPicker.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace poisonlab::ui {

using nlohmann::json;

GoalListEditor::GoalListEditor(QWidget *parent)
    : QWidget(parent), m_table(new QTableWidget(0, 2, this)), m_add(new QPushButton(tr("Add goal"), this)),
      m_remove(new QPushButton(tr("Remove"), this))
{
    m_table->setObjectName(QStringLiteral("goalTable"));
    m_table->setHorizontalHeaderLabels({tr("Class A (captions poisoned)"), tr("→ class B (images given)")});
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_add->setObjectName(QStringLiteral("addGoal"));
    m_remove->setObjectName(QStringLiteral("removeGoal"));

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_table);
    layout->addLayout(buttons);

    connect(m_add, &QPushButton::clicked, this, &GoalListEditor::addGoal);
    connect(m_remove, &QPushButton::clicked, this, &GoalListEditor::removeGoal);
}

json GoalListEditor::value() const
{
    json goals = json::array();
    for (int r = 0; r < m_table->rowCount(); ++r)
        goals.push_back(
            {{"source", picker(r, 0)->className().toStdString()}, {"target", picker(r, 1)->className().toStdString()}});
    return goals;
}

void GoalListEditor::setValue(const json &goals)
{
    m_table->setRowCount(0);
    fitHeight();
    if (!goals.is_array())
        return;
    for (const json &g : goals) {
        auto text = [&](const char *key) {
            return g.is_object() && g.contains(key) && g[key].is_string()
                       ? QString::fromStdString(g[key].get<std::string>())
                       : QString();
        };
        appendRow(text("source"), text("target"));
    }
}

void GoalListEditor::setTrainingSet(std::shared_ptr<const TrainingSetSummary> summary)
{
    m_summary = std::move(summary);
    for (int r = 0; r < m_table->rowCount(); ++r)
        for (int c = 0; c < 2; ++c)
            picker(r, c)->setTrainingSet(m_summary);
}

int GoalListEditor::rowCount() const
{
    return m_table->rowCount();
}

ClassPicker *GoalListEditor::picker(int row, int column) const
{
    return qobject_cast<ClassPicker *>(m_table->cellWidget(row, column));
}

void GoalListEditor::addGoal()
{
    appendRow({}, {});
    m_table->setCurrentCell(m_table->rowCount() - 1, 0);
    Q_EMIT edited();
}

void GoalListEditor::removeGoal()
{
    int row = m_table->currentRow();
    if (row < 0)
        row = m_table->rowCount() - 1;
    if (row < 0)
        return;
    m_table->removeRow(row);
    fitHeight();
    Q_EMIT edited();
}

void GoalListEditor::appendRow(const QString &source, const QString &target)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    const QString names[2] = {source, target};
    for (int c = 0; c < 2; ++c) {
        auto *p = new ClassPicker(m_table);
        p->setTrainingSet(m_summary);
        p->setClassName(names[c]);
        connect(p, &ClassPicker::classEdited, this, &GoalListEditor::edited);
        m_table->setCellWidget(row, c, p);
    }
    m_table->resizeRowToContents(row);
    fitHeight();
}

void GoalListEditor::fitHeight()
{
    const int rowHeight =
        m_table->rowCount() > 0 ? m_table->rowHeight(0) : m_table->verticalHeader()->defaultSectionSize();
    const int rows = std::max(m_table->rowCount(), 2);
    m_table->setFixedHeight(m_table->horizontalHeader()->sizeHint().height() + rows * rowHeight +
                            2 * m_table->frameWidth());
}

} // namespace poisonlab::ui
