\set id random(1, 150000)
SELECT * FROM src.orders WHERE o_orderkey = :id;
