"""RepairDesk: the production-grade repair-ticket service the course leads to."""
