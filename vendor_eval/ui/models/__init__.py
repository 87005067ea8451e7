"""Qt item models. Each holds rows handed to it (plain data from services), never queries."""
